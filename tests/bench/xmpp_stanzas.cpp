// CPU cost of the XMPP client's pure pieces, per operation, on one core:
// building a timestamped chat message, reading a received one (parse, sender,
// body, send time), and the client side of one SASL login (SCRAM-SHA-256 with
// and without the salted-password cache, PLAIN).
// Last line:
//   xmpp_stanzas build_chat_ns=X parse_chat_us=Y scram_sha256_login_us=Z
//   scram_sha256_cached_login_us=W plain_login_us=V

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanzas.hpp"
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

  std::printf("xmpp_stanzas build_chat_ns=%.0f parse_chat_us=%.2f scram_sha256_login_us=%.0f "
              "scram_sha256_cached_login_us=%.1f plain_login_us=%.2f\n",
              build_ns, parse_ns / 1000, scram_ns / 1000, scram_cached_ns / 1000, plain_ns / 1000);
}
