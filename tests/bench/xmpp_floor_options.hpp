#pragma once

// The floor client's command line (tests/bench/xmpp_floor.cpp). Defaults are
// those of amoc's xmpp_one_to_one scenario and xmpp client, except the
// arrival rate (250 users/s, amoc's `interarrival` 4 ms).

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace floor_client {

struct options {
  const char* host = "127.0.0.1";
  long port = 5222;
  const char* domain = "localhost";
  long first = 1;  // user ids first .. first + users - 1
  long users = 100;
  double rate = 250;  // arrivals per second; 0: all at once
  long messages = 10;
  std::int64_t interval_ns = 1'000'000'000;
  std::int64_t linger_ns = 5'000'000'000;
  std::int64_t step_timeout_ns = 5'000'000'000;  // connect, each login step, the close
  std::int64_t start_delay_ns = 0;  // idle before the first user, for a clean RSS baseline
};

inline constexpr const char* usage =
  "usage: xmpp_floor [--users N] [--first-id N] [--rate USERS_PER_S] [--messages N]\n"
  "                  [--interval-ms MS] [--linger-ms MS] [--step-timeout-ms MS]\n"
  "                  [--start-delay-ms MS]\n"
  "                  [--host IPV4] [--port N] [--domain D]\n";

// A numeric option: its name, its range and where it goes (`scale` times the value).
struct numeric {
  std::string_view name;
  double low, high, scale;
  void (*store)(options&, double);
};

inline constexpr double ms = 1e6;  // ns per ms
inline const numeric numerics[] = {
  {"--port", 1, 65535, 1, [](options& o, double v) { o.port = static_cast<long>(v); }},
  {"--users", 1, 1e7, 1, [](options& o, double v) { o.users = static_cast<long>(v); }},
  {"--first-id", 1, 1e12, 1, [](options& o, double v) { o.first = static_cast<long>(v); }},
  {"--rate", 0, 1e6, 1, [](options& o, double v) { o.rate = v; }},
  {"--messages", 0, 1e6, 1, [](options& o, double v) { o.messages = static_cast<long>(v); }},
  {"--interval-ms", 1, 3.6e6, ms,
   [](options& o, double v) { o.interval_ns = static_cast<std::int64_t>(v); }},
  {"--linger-ms", 0, 3.6e6, ms,
   [](options& o, double v) { o.linger_ns = static_cast<std::int64_t>(v); }},
  {"--step-timeout-ms", 1, 3.6e6, ms,
   [](options& o, double v) { o.step_timeout_ns = static_cast<std::int64_t>(v); }},
  {"--start-delay-ms", 0, 60e3, ms,
   [](options& o, double v) { o.start_delay_ns = static_cast<std::int64_t>(v); }},
};

// The options, or nothing after a message naming the bad argument.
inline std::optional<options> parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (name == "--help") {
      std::fputs(usage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "xmpp_floor: %s needs a value\n%s", argv[i], usage);
      return std::nullopt;
    }
    const char* value = argv[++i];
    if (name == "--host" || name == "--domain") {
      (name == "--host" ? o.host : o.domain) = value;
      continue;
    }
    const numeric* n = nullptr;
    for (const auto& candidate : numerics)
      if (candidate.name == name)
        n = &candidate;
    if (!n) {
      std::fprintf(stderr, "xmpp_floor: unknown option %s\n%s", argv[i - 1], usage);
      return std::nullopt;
    }
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(value, &end);
    if (errno != 0 || end == value || *end != '\0' || !(v >= n->low && v <= n->high)) {
      std::fprintf(stderr, "xmpp_floor: %s %s: not a number from %g to %g\n", argv[i - 1], value,
                   n->low, n->high);
      return std::nullopt;
    }
    n->store(o, v * n->scale);
  }
  return o;
}

}  // namespace floor_client
