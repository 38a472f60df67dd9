// idle_users N: spawns N users of the dummy scenario sleeping for an hour,
// with interarrival 0, and measures memory per user, the spawn rate and how
// long a forced stop of all of them takes. Prints one result line last.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "amoc/error.hpp"
#include "amoc/runtime.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

long rss_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * sysconf(_SC_PAGESIZE);
}

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  amoc::config::store store;
  store.set_text("interarrival", "0");
  store.set_text("dummy_sleep", "1h");
  const std::size_t threads = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 0;
  amoc::runtime rt{amoc::runtime::options::local(&store, threads)};
  const long baseline = rss_bytes();

  const auto spawn_start = clock_type::now();
  if (auto err = rt.start("dummy", 1, n)) {
    std::fprintf(stderr, "idle_users: %s\n", amoc::render(err).c_str());
    return 1;
  }
  for (;;) {
    auto st = rt.status();
    if (st && st->users.running >= n)
      break;
    std::this_thread::sleep_for(5ms);
  }
  const double spawn_s = seconds_since(spawn_start);
  std::this_thread::sleep_for(200ms);  // let allocator and mailboxes settle
  const long rss = rss_bytes() - baseline;

  const auto stop_start = clock_type::now();
  if (auto err = rt.stop(true)) {
    std::fprintf(stderr, "idle_users: %s\n", amoc::render(err).c_str());
    return 1;
  }
  auto st = rt.wait(120s);
  const double stop_s = seconds_since(stop_start);
  if (!st || st->state != amoc::run_state::finished) {
    std::fprintf(stderr, "idle_users: users did not stop\n");
    return 1;
  }
  std::printf("idle_users users=%llu rss_bytes_per_user=%.0f spawn_per_s=%.0f stop_all_s=%.3f\n",
              static_cast<unsigned long long>(n), static_cast<double>(rss) / n, n / spawn_s,
              stop_s);
}
