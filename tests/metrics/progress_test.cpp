// amoc run's progress line: users, and rates and failures from the metrics.

#include "progress.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

#include "amoc/metrics.hpp"

using namespace std::chrono_literals;
using namespace amoc;

namespace {

std::string lines_printed(const metrics::registry& reg,
                          const std::function<void(cli::progress_printer&)>& calls) {
  std::FILE* out = std::tmpfile();
  {
    cli::progress_printer printer{out, [&reg] { return reg.snapshot(false); }};
    calls(printer);
  }
  std::rewind(out);
  std::string text;
  for (int c; (c = std::fgetc(out)) != EOF;)
    text += static_cast<char>(c);
  std::fclose(out);
  return text;
}

}  // namespace

TEST(progress, shows_message_rates_and_failures_per_line) {
  metrics::registry reg;
  status st;
  st.state = run_state::running;
  st.users.running = 4;
  const auto text = lines_printed(reg, [&](cli::progress_printer& print) {
    reg.counter("xmpp.messages_sent").add(10);
    print(st, 0s);
    reg.counter("xmpp.messages_sent").add(200);
    reg.counter("xmpp.messages_received").add(150);
    reg.counter("xmpp.failures.connect").add(2);
    reg.counter("xmpp.failures.sasl").add(1);
    print(st, 2s);
  });
  // Not a terminal: one plain line per call.
  const auto second = text.substr(text.find('\n') + 1);
  EXPECT_NE(second.find("users 4 (running 4"), std::string::npos) << text;
  EXPECT_NE(second.find("sent 100.0/s  recv 75.0/s  failures 3"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

TEST(progress, without_such_metrics_the_line_is_plain) {
  metrics::registry reg;
  reg.counter("users.started").add(3);
  status st;
  const auto text = lines_printed(reg, [&](cli::progress_printer& print) { print(st, 1s); });
  EXPECT_EQ(text.find("/s"), std::string::npos) << text;
  EXPECT_EQ(text.find("failures"), std::string::npos) << text;
}
