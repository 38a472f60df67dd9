// throttle ADDRESS... [--rate R] [--seconds S] [--users U]: the master side of
// scripts/bench/throttle. Runs the `throttled` scenario (U users, interarrival
// 0, no pause between iterations) with a cluster-wide throttle of R actions/s
// over the worker nodes at ADDRESS..., warms up 3 s, then counts the actions
// of all nodes over S seconds, sampling every second. Prints
//   throttle_bench nodes=N rate=R window_s=S actions=A measured=M error_pct=E
//   per_second_min=X per_second_max=Y

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "amoc/error.hpp"
#include "amoc/runtime.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

std::uint64_t actions(amoc::runtime& rt) {
  auto snap = rt.metrics_snapshot();
  if (!snap)
    return 0;
  auto it = snap->counters.find("throttled.actions");
  return it == snap->counters.end() ? 0 : it->second;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> nodes;
  double rate = 1000;
  int seconds = 60;
  std::uint64_t users = 300;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--rate" && i + 1 < argc)
      rate = std::strtod(argv[++i], nullptr);
    else if (arg == "--seconds" && i + 1 < argc)
      seconds = std::atoi(argv[++i]);
    else if (arg == "--users" && i + 1 < argc)
      users = std::strtoull(argv[++i], nullptr, 10);
    else
      nodes.push_back(arg);
  }
  amoc::config::store store;
  store.set_text("interarrival", "0");
  store.set_text("repeat_interval", "0");
  store.set_text("throttled_rate", std::to_string(rate));
  store.set_text("throttled_interval", "1s");
  amoc::runtime::options opts;
  opts.store = &store;
  opts.threads = 1;
  opts.nodes = nodes;
  opts.security.insecure = true;  // loopback only
  amoc::runtime rt{opts};
  if (auto st = rt.await_nodes(10s); !st || st->nodes.empty() || !st->nodes.back().up) {
    std::fprintf(stderr, "throttle bench: worker nodes not up\n");
    return 1;
  }
  if (auto err = rt.start("throttled", 1, users)) {
    std::fprintf(stderr, "throttle bench: %s\n", amoc::render(err).c_str());
    return 1;
  }
  std::this_thread::sleep_for(3s);
  const auto t0 = clock_type::now();
  const auto c0 = actions(rt);
  auto previous = c0;
  std::uint64_t per_second_min = ~std::uint64_t{0};
  std::uint64_t per_second_max = 0;
  for (int s = 1; s <= seconds; ++s) {
    std::this_thread::sleep_until(t0 + std::chrono::seconds{s});
    const auto now = actions(rt);
    per_second_min = std::min(per_second_min, now - previous);
    per_second_max = std::max(per_second_max, now - previous);
    previous = now;
  }
  const auto window = std::chrono::duration<double>(clock_type::now() - t0).count();
  const auto counted = previous - c0;
  const auto measured = static_cast<double>(counted) / window;
  std::printf("throttle_bench nodes=%zu rate=%.0f window_s=%.3f actions=%llu measured=%.2f "
              "error_pct=%.3f per_second_min=%llu per_second_max=%llu\n",
              nodes.size(), rate, window, static_cast<unsigned long long>(counted), measured,
              100.0 * (measured - rate) / rate, static_cast<unsigned long long>(per_second_min),
              static_cast<unsigned long long>(per_second_max));
  (void)rt.stop(true);
  return std::abs(measured - rate) <= rate * 0.01 ? 0 : 1;
}
