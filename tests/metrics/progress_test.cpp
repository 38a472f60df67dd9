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
                          const std::function<void(cli::progress_printer&)>& calls,
                          bool terminal = false) {
  std::FILE* out = std::tmpfile();
  {
    cli::progress_printer printer{out, [&reg] { return reg.snapshot(false); }, terminal};
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

TEST(progress, on_a_terminal_a_log_line_never_glues_onto_the_progress_line) {
  metrics::registry reg;
  status st;
  st.state = run_state::running;
  const auto text = lines_printed(
    reg,
    [&](cli::progress_printer& print) {
      print(st, 1s);
      log::write(log::level::warning, "a node went down");
      print(st, 2s);
    },
    true);
  // The progress line is cleared ("\r\033[K" before the log line's "HH:MM:SS.mmm "),
  // the log line written whole, and the progress line drawn again after it.
  const std::string logged = "[warning] a node went down\n";
  const auto at = text.find(logged);
  ASSERT_NE(at, std::string::npos) << text;
  ASSERT_GE(at, 17u) << text;
  EXPECT_EQ(text.substr(at - 17, 4), "\r\033[K") << text;
  EXPECT_EQ(text.substr(at + logged.size(), 7), "running") << text;
  EXPECT_EQ(text.back(), '\n') << "the last progress line is ended at the end of the run";
}

TEST(progress, the_log_goes_to_stderr_again_once_the_printer_is_gone) {
  metrics::registry reg;
  (void)lines_printed(
    reg, [](cli::progress_printer&) {}, true);
  testing::internal::CaptureStderr();
  log::write(log::level::warning, "after the run");
  EXPECT_NE(testing::internal::GetCapturedStderr().find("[warning] after the run"),
            std::string::npos);
}
