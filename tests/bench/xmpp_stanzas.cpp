// CPU cost of the XMPP client's pure pieces, per operation, on one core:
// building a timestamped chat message, framing a received one (what the I/O
// loop does per stanza: find its end, check it is well-formed), reading it
// (parse, sender, body, send time), and the client side of one SASL login
// (SCRAM-SHA-256 with and without the salted-password cache, PLAIN).
// Last line:
//   xmpp_stanzas build_chat_ns=X frame_chat_ns=F parse_chat_us=Y scram_sha256_login_us=Z
//   scram_sha256_cached_login_us=W plain_login_us=V

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "amoc/xmpp/stream_framer.hpp"
#include "base64.hpp"
#include "sasl.hpp"

using namespace amoc::xmpp;
using clock_type = std::chrono::steady_clock;

namespace {

// Keeps the optimiser from dropping work whose result is unused.
volatile std::size_t sink = 0;

// Nanoseconds per call of `op`, over `n` calls.
template <typename F>
double ns_per_op(int n, F op) {
  const auto start = clock_type::now();
  for (int i = 0; i < n; ++i)
    op(i);
  const std::chrono::duration<double, std::nano> elapsed = clock_type::now() - start;
  return elapsed.count() / n;
}

// A SCRAM-SHA-256 login as the client does it, on the RFC 7677 §3 messages.
void scram_login() {
  auto m = detail::make_sasl("SCRAM-SHA-256", {"user", "pencil"}, "rOprNGfwEbeRWgbNEkqO");
  const auto first = detail::base64_encode(m->initial_response());
  const auto server_first = detail::base64_decode(
    detail::base64_encode("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                          "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
  auto final_message = m->respond(*server_first);
  const auto response = detail::base64_encode(std::get<std::string>(final_message));
  const auto success =
    detail::base64_decode(detail::base64_encode("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
  if (m->verify_success(*success)) {
    std::fputs("SCRAM-SHA-256 failed its own RFC vector\n", stderr);
    std::exit(1);
  }
  sink = sink + first.size() + response.size();
}

void plain_login() {
  auto m = detail::make_sasl("PLAIN", {"user_1", "password_1"});
  const auto auth = stanzas::sasl_auth(m->name(), detail::base64_encode(m->initial_response()));
  sink = sink + auth.xml().size();
}

}  // namespace

int main() {
  const auto build_ns = ns_per_op(1'000'000, [](int) {
    auto s = stanzas::chat_with_timestamp("user_2@localhost", "Hello, this is a test message.");
    sink = sink + s.xml().size();
  });

  // What a server relays: attributes added, quotes changed.
  const std::string received =
    "<message xmlns=\"jabber:client\" from=\"user_1@localhost/amoc\" to=\"user_2@localhost\" "
    "type=\"chat\" id=\"3f2a9c1e-1b\"><body>Hello, this is a test message.</body>"
    "<sent xmlns=\"urn:amoc:ttd\" us=\"1700000000123456\"/></message>";
  // Reads of 16 KB (the loop's read buffer) full of such stanzas, as a busy
  // connection gets them: frames cut across reads included.
  std::string reads;
  while (reads.size() < 16 * 1024 * 64)
    reads += received + "\n";
  const std::size_t stanzas_in_reads = reads.size() / (received.size() + 1);
  const int framing_rounds = 20;
  const auto frame_round_ns = ns_per_op(framing_rounds, [&](int) {
    stream_framer framer{1 << 20};
    framer.feed("<stream:stream xmlns='jabber:client' "
                "xmlns:stream='http://etherx.jabber.org/streams' id='s1' version='1.0'>");
    std::size_t frames = 0;
    for (std::size_t at = 0; at < reads.size(); at += 16 * 1024) {
      framer.feed(std::string_view{reads}.substr(at, 16 * 1024));
      while (auto f = framer.next())
        frames += f->xml.size() > 0;
    }
    if (framer.error() != framer_error::none || frames != stanzas_in_reads + 1)
      std::exit(1);
    sink = sink + frames;
  });
  const auto frame_ns = frame_round_ns / static_cast<double>(stanzas_in_reads);

  const auto from_user_1 = is::chat_from("user_1@localhost");
  const auto parse_ns = ns_per_op(200'000, [&](int) {
    stanza s{received};
    if (!from_user_1(s) || !stanzas::sent_timestamp(s))
      std::exit(1);
    sink = sink + s.body().size();
  });

  const auto scram_ns = ns_per_op(500, [](int) {
    detail::clear_scram_cache();
    scram_login();
  });
  detail::clear_scram_cache();
  const auto scram_cached_ns = ns_per_op(20'000, [](int) { scram_login(); });
  const auto plain_ns = ns_per_op(200'000, [](int) { plain_login(); });

  std::printf("xmpp_stanzas build_chat_ns=%.0f frame_chat_ns=%.0f parse_chat_us=%.2f "
              "scram_sha256_login_us=%.0f scram_sha256_cached_login_us=%.1f plain_login_us=%.2f\n",
              build_ns, frame_ns, parse_ns / 1000, scram_ns / 1000, scram_cached_ns / 1000,
              plain_ns / 1000);
}
