// The RFC 4180 reader: quoting, escaped quotes, line breaks inside quotes,
// CRLF, chunk boundaries anywhere, and malformed input named by line.

#include "amoc/csv.hpp"

#include <gtest/gtest.h>

namespace {

using fields = std::vector<std::string>;
namespace csv = amoc::csv;

std::vector<fields> records_of(const csv::parsed& p) {
  std::vector<fields> out;
  for (const auto& r : p.records)
    out.push_back(r.fields);
  return out;
}

TEST(csv, plain_fields_and_lf_or_crlf_line_ends) {
  auto p = csv::parse("username,password\nalice,a1\r\nbob,b2");
  ASSERT_FALSE(p.error) << p.error->what;
  EXPECT_EQ(records_of(p),
            (std::vector<fields>{{"username", "password"}, {"alice", "a1"}, {"bob", "b2"}}));
  EXPECT_EQ(p.records[2].line, 3u);
}

TEST(csv, quoted_fields_hold_commas_quotes_and_line_breaks) {
  auto p = csv::parse("a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",\"\"\r\nlast,one\r\n");
  ASSERT_FALSE(p.error) << p.error->what;
  EXPECT_EQ(records_of(p),
            (std::vector<fields>{
              {"a", "b"}, {"x,y", "say \"hi\""}, {"two\r\nlines", ""}, {"last", "one"}}));
  EXPECT_EQ(p.records[2].line, 3u) << "a record starts on the line of its first field";
  EXPECT_EQ(p.records[3].line, 5u) << "the line break inside quotes counts as a line";
}

TEST(csv, empty_fields_and_a_trailing_comma) {
  auto p = csv::parse("a,,c\n,\n");
  ASSERT_FALSE(p.error);
  EXPECT_EQ(records_of(p), (std::vector<fields>{{"a", "", "c"}, {"", ""}}));
}

TEST(csv, a_blank_line_is_one_unquoted_empty_field) {
  auto p = csv::parse("a\n\n\"\"\n");
  ASSERT_FALSE(p.error);
  ASSERT_EQ(p.records.size(), 3u);
  EXPECT_TRUE(p.records[1].blank());
  EXPECT_FALSE(p.records[2].blank()) << "\"\" is a value, not a blank line";
}

TEST(csv, any_chunk_boundary_gives_the_same_records) {
  const std::string text = "u,p\r\n\"a,\"\"b\"\"\",\"x\r\ny\"\r\nc,d";
  const auto whole = records_of(csv::parse(text));
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    csv::reader r;
    std::vector<fields> got;
    auto keep = [&](const csv::record& rec) {
      got.push_back(rec.fields);
      return true;
    };
    ASSERT_FALSE(r.feed(text.substr(0, cut), keep));
    ASSERT_FALSE(r.feed(text.substr(cut), keep));
    ASSERT_FALSE(r.finish(keep));
    EXPECT_EQ(got, whole) << "cut at " << cut;
  }
}

TEST(csv, an_unclosed_quote_names_the_line_it_opened_on) {
  auto p = csv::parse("a,b\nc,\"open\nstill\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 2u);
  EXPECT_NE(p.error->what.find("never closed"), std::string::npos) << p.error->what;
}

TEST(csv, a_quote_inside_an_unquoted_field_is_refused) {
  auto p = csv::parse("a,b\nal\"ice,x\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 2u);
  EXPECT_NE(p.error->what.find("unquoted"), std::string::npos) << p.error->what;
}

TEST(csv, text_after_a_closing_quote_is_refused) {
  auto p = csv::parse("a,b\n\"x\"\"y\"z,1\n\"ok\",2\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 2u);
  EXPECT_NE(p.error->what.find("closing quote"), std::string::npos) << p.error->what;
}

TEST(csv, a_bare_carriage_return_is_refused) {
  auto p = csv::parse("a,b\rc,d\n");
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->line, 1u);
}

TEST(csv, a_record_longer_than_the_limit_is_refused) {
  csv::reader r{16};
  auto err =
    r.feed("short,row\n\"" + std::string(100, 'x'), [](const csv::record&) { return true; });
  ASSERT_TRUE(err);
  EXPECT_EQ(err->line, 2u);
}

TEST(csv, a_sink_returning_false_stops_the_reading) {
  csv::reader r;
  int seen = 0;
  auto sink = [&](const csv::record&) { return ++seen < 2; };
  EXPECT_FALSE(r.feed("a\nb\nc\nd\n", sink));
  EXPECT_FALSE(r.finish(sink));
  EXPECT_EQ(seen, 2);
}

}  // namespace
