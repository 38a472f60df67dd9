#include "amoc/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace amoc::log {

namespace {

std::atomic<level> threshold{level::info};
std::mutex sink_mutex;

void stderr_sink(level lvl, std::string_view text) {
  std::fputs(format_line(lvl, text).c_str(), stderr);
}

sink& current_sink() {
  static sink s = stderr_sink;
  return s;
}

}  // namespace

std::string format_line(level lvl, std::string_view text) {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  localtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
  char head[64];
  std::snprintf(head, sizeof head, "%s.%03d [%s] ", stamp, static_cast<int>(ms.count()),
                to_string(lvl));
  return head + std::string{text} + "\n";
}

const char* to_string(level lvl) {
  switch (lvl) {
  case level::debug: return "debug";
  case level::info: return "info";
  case level::warning: return "warning";
  case level::error: return "error";
  }
  return "info";
}

std::optional<level> parse_level(std::string_view text) {
  for (auto lvl : {level::debug, level::info, level::warning, level::error})
    if (text == to_string(lvl))
      return lvl;
  return std::nullopt;
}

void set_level(level lvl) { threshold.store(lvl, std::memory_order_relaxed); }

level current_level() { return threshold.load(std::memory_order_relaxed); }

void set_sink(sink s) {
  std::lock_guard guard{sink_mutex};
  current_sink() = s ? std::move(s) : sink{stderr_sink};
}

void write(level lvl, std::string_view text) {
  if (!enabled(lvl))
    return;
  // Logging is not a hot path; one lock keeps lines whole.
  std::lock_guard guard{sink_mutex};
  current_sink()(lvl, text);
}

}  // namespace amoc::log
