// libFuzzer target: the stream framer and the stanza parser on arbitrary bytes.
//
// Input layout: byte 0 picks the maximum frame size, byte 1 seeds how the rest
// is split into reads; the rest is what a server sends. Checked for every input:
// - no crash, leak or undefined behaviour (built with ASan and UBSan);
// - no frame and no held buffer larger than the maximum (a peer cannot make
//   us hold more);
// - the same frames and the same outcome however the bytes are split into
//   reads (the framer is incremental);
// - every element frame can be inspected as a stanza and run through the
//   predicates and error parsers without harm;
// - every element frame is well-formed: pugixml parses it, and checked on its
//   own (as a WebSocket message) it passes (the framer checks what pugixml
//   would refuse, so a malformed stanza ends the connection when it arrives,
//   not when a scenario looks at it);
// - an error's message is UTF-8 without control characters (it goes to logs
//   and JSON).
// Run by scripts/fuzz. The seeds in corpus/ are ejabberd 23.01 streams recorded
// on loopback (login with SCRAM, a session with roster, receipts, stream
// management, MAM and MUC, and the server's errors), each after the two
// control bytes "~~" (2 KB maximum; one seed uses 96 bytes).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "amoc/xmpp/stream_framer.hpp"
#include "xml_chars.hpp"

using namespace amoc::xmpp;

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "stream_fuzzer: %s\n", what);
    std::abort();
  }
}

// Inspects an element frame the ways the client and scenarios do.
void inspect(std::string_view xml, std::size_t max) {
  const stanza s{std::string{xml}};
  require(s.parse(), "the framer let through an element pugixml refuses");
  require(stream_framer::check_element(xml, max).empty(),
          "an element framed in a stream fails the check on its own");
  static const std::vector<predicate> predicates = {is::chat(),
                                                    is::chat_from("user_1@localhost"),
                                                    is::groupchat("room@muc.localhost"),
                                                    is::presence(),
                                                    is::presence_from("a@b", "unavailable"),
                                                    is::iq_result(),
                                                    is::iq_error("x"),
                                                    is::iq_request("jabber:iq:roster"),
                                                    is::sm_ack(),
                                                    is::sm_request(),
                                                    is::mam_result(),
                                                    is::mam_fin(),
                                                    is::receipt_for("m1"),
                                                    is::ping(),
                                                    is::roster_push(),
                                                    is::stream_error(),
                                                    is::sasl_success(),
                                                    is::sasl_failure(),
                                                    is::stream_features(),
                                                    is::stanza_error("conflict")};
  for (const auto& p : predicates)
    (void)p(s);
  // The error parsers find a condition exactly for the errors the predicates see.
  require(stream_error_condition(s).condition.empty() != is::stream_error()(s),
          "stream_error_condition disagrees with is::stream_error");
  require(sasl_failure_condition(s).condition.empty() != is::sasl_failure()(s),
          "sasl_failure_condition disagrees with is::sasl_failure");
  require(stanza_error_condition(s).condition.empty() != (s.type() == "error"),
          "stanza_error_condition disagrees with the type");
  (void)stanzas::sent_timestamp(s);
  // A parsed stanza survives a copy and an edit (re-serialisation).
  stanza copy = s;
  (void)copy.edit();
  require(stanza{copy.xml()}.parse(), "a re-serialised stanza does not parse");
}

struct outcome {
  std::vector<std::string> frames;  // kind digit + bytes
  framer_error error = framer_error::none;

  bool operator==(const outcome&) const = default;
};

// Frames `bytes` fed in reads of the sizes `next_read` gives.
template <typename NextRead>
outcome frame_all(std::string_view bytes, std::size_t max, NextRead next_read,
                  bool inspect_frames) {
  stream_framer framer{max};
  outcome out;
  while (!bytes.empty()) {
    const auto n = std::min(bytes.size(), next_read());
    framer.feed(bytes.substr(0, n));
    bytes.remove_prefix(n);
    while (auto f = framer.next()) {
      require(f->xml.size() <= max, "a frame larger than the maximum");
      out.frames.push_back(std::to_string(static_cast<int>(f->kind)) + std::string{f->xml});
      if (inspect_frames && f->kind == frame_kind::element)
        inspect(f->xml, max);
    }
    if (framer.error() == framer_error::none)
      require(framer.buffered() <= max, "holds more than the maximum");
  }
  out.error = framer.error();
  require((out.error == framer_error::none) == framer.error_message().empty(),
          "an error without a message, or a message without an error");
  std::uint8_t need = 0;
  std::uint8_t lead = 0;
  for (const char c : framer.error_message())
    require(static_cast<unsigned char>(c) >= 0x20
              && amoc::xmpp::detail::utf8_step(need, lead, static_cast<unsigned char>(c)),
            "an error message with a control character or invalid UTF-8");
  require(need == 0, "an error message ending in a truncated UTF-8 sequence");
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2)
    return 0;
  const std::size_t max = 32 + std::size_t{data[0]} * 16;  // 32 .. 4112 bytes
  std::uint32_t seed = data[1] | 1u;
  const std::string_view bytes{reinterpret_cast<const char*>(data + 2), size - 2};

  const auto whole = frame_all(
    bytes, max, [&] { return bytes.size(); }, true);
  // Reads of 1..64 bytes from a small xorshift generator.
  const auto split = frame_all(
    bytes, max,
    [&] {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      return std::size_t{1} + seed % 64;
    },
    false);
  require(whole == split, "the frames depend on how the bytes are split into reads");
  return 0;
}
