#include "base64.hpp"

#include <gtest/gtest.h>

using namespace amoc::xmpp::detail;

TEST(base64, encodes_the_rfc_4648_vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string_view{"\0user\0pencil", 12}), "AHVzZXIAcGVuY2ls");
}

TEST(base64, decodes_exactly_the_bytes_without_the_padding) {
  for (std::string_view s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"})
    EXPECT_EQ(base64_decode(base64_encode(s)), std::string{s}) << s;
  std::string binary;
  for (int i = 0; i < 256; ++i)
    binary += static_cast<char>(i);
  EXPECT_EQ(base64_decode(base64_encode(binary)), binary);
  // Decoded zero bytes at the end are data, not padding.
  EXPECT_EQ(base64_decode("AAAA"), std::string(3, '\0'));
  EXPECT_EQ(base64_decode("AA=="), std::string(1, '\0'));
}

TEST(base64, rejects_what_is_not_canonical_base64) {
  EXPECT_FALSE(base64_decode("Zg"));    // length not a multiple of 4
  EXPECT_FALSE(base64_decode("Zg=a"));  // '=' inside
  EXPECT_FALSE(base64_decode("Z==="));  // three '='
  EXPECT_FALSE(base64_decode("===="));
  EXPECT_FALSE(base64_decode("Zm9v\nYmFy"));  // white space
  EXPECT_FALSE(base64_decode(" Zm9v"));
  EXPECT_FALSE(base64_decode("Zm9-"));  // URL alphabet
  EXPECT_FALSE(base64_decode(std::string_view{"Zm9\0", 4}));
}
