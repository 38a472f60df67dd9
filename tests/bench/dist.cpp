// dist ADDRESS... --users N: the master side of scripts/bench/dist. Spreads N
// idle users (dummy, sleeping an hour, interarrival 0) round-robin over the
// worker nodes at ADDRESS..., then removes them all by force. Prints
//   dist_bench nodes=K users=N spawn_s=S stop_s=T

#include <chrono>
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

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

// Polls the master until `done(status)`, at most `limit`.
template <class F>
bool await(amoc::runtime& rt, F done, std::chrono::seconds limit) {
  for (auto end = clock_type::now() + limit; clock_type::now() < end;) {
    if (auto st = rt.status(); st && done(*st))
      return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> nodes;
  std::uint64_t users = 300000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--users" && i + 1 < argc)
      users = std::strtoull(argv[++i], nullptr, 10);
    else
      nodes.push_back(arg);
  }
  amoc::config::store store;
  store.set_text("interarrival", "0");
  store.set_text("dummy_sleep", "1h");
  amoc::runtime::options opts;
  opts.store = &store;
  opts.threads = 1;
  opts.nodes = nodes;
  opts.security.insecure = true;  // loopback only; TLS costs a handshake per node, not per user
  amoc::runtime rt{opts};
  if (auto st = rt.await_nodes(10s); !st || st->nodes.empty() || !st->nodes.back().up) {
    std::fprintf(stderr, "dist bench: worker nodes not up\n");
    return 1;
  }
  const auto t0 = clock_type::now();
  if (auto err = rt.start("dummy", 1, users)) {
    std::fprintf(stderr, "dist bench: %s\n", amoc::render(err).c_str());
    return 1;
  }
  if (!await(
        rt, [&](const amoc::status& st) { return st.users.running == users; }, 120s)) {
    std::fprintf(stderr, "dist bench: not all users started\n");
    return 1;
  }
  const double spawn_s = seconds_since(t0);
  const auto t1 = clock_type::now();
  if (auto removed = rt.remove(users, true); !removed) {
    std::fprintf(stderr, "dist bench: %s\n", amoc::render(removed.error()).c_str());
    return 1;
  }
  if (!await(
        rt, [&](const amoc::status& st) { return st.users.ended_total() == users; }, 120s)) {
    std::fprintf(stderr, "dist bench: not all users ended\n");
    return 1;
  }
  std::printf("dist_bench nodes=%zu users=%llu spawn_s=%.2f stop_s=%.2f\n", nodes.size(),
              static_cast<unsigned long long>(users), spawn_s, seconds_since(t1));
  return 0;
}
