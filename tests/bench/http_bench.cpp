// http_bench URL CONNECTIONS DURATION_S: the HTTP client's throughput and CPU
// per request against a real server, measured in this process only, as wrk
// measures itself: CONNECTIONS users each send GET URL, wait for the
// response and send the next (closed loop, keep-alive), for DURATION_S.
// AMOC_BENCH_THREADS sets the node's worker threads (default 1, like wrk -t1).
// Prints one line:
//   http_bench_amoc rps=X requests=N failures=F cpu_s=C cpu_s_per_1k_req=Y

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "amoc/error.hpp"
#include "amoc/http/client.hpp"
#include "amoc/runtime.hpp"
#include "amoc/scenario.hpp"
#include "process_cpu.hpp"

namespace {

using amoc::bench::cpu_seconds;

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
namespace http = amoc::http;

// Set by main() before the run starts, read-only after.
struct bench_plan {
  std::string url;
  clock_type::time_point until;
} plan;

class http_bench final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user& u) override {
    http::client c{u};
    const http::request req{http::method::get, plan.url, {}, {}, "bench"};
    while (clock_type::now() < plan.until) {
      auto r = co_await c.send(req);
      (void)r;
    }
  }
};

AMOC_REGISTER_SCENARIO(http_bench, "http_bench", "benchmark: GET as fast as responses come",
                       {http::config_variables()});

std::uint64_t counter(amoc::runtime& rt, const std::string& name) {
  return rt.metrics().counter(name).value();
}

std::uint64_t failures(amoc::runtime& rt) { return counter(rt, "http.bench.failures"); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: http_bench URL CONNECTIONS DURATION_S\n");
    return 2;
  }
  plan.url = argv[1];
  const auto users = std::strtoull(argv[2], nullptr, 10);
  const auto duration = std::chrono::seconds{std::strtol(argv[3], nullptr, 10)};
  amoc::config::store store;
  store.set_text("interarrival", "0");
  store.set_text("repeat_num", "1");
  const char* threads = std::getenv("AMOC_BENCH_THREADS");
  amoc::runtime rt{
    amoc::runtime::options::local(&store, threads ? std::strtoul(threads, nullptr, 10) : 1)};

  // A short warm-up (connections, first allocations) outside the window.
  const auto warmup = 1s;
  plan.until = clock_type::now() + warmup + duration;
  if (auto err = rt.start("http_bench", 1, users)) {
    std::fprintf(stderr, "http_bench: %s\n", amoc::render(err).c_str());
    return 1;
  }
  std::this_thread::sleep_for(warmup);
  const auto requests_start = counter(rt, "http.bench.status.200") + failures(rt);
  const double cpu_start = cpu_seconds();
  const auto window_start = clock_type::now();
  std::this_thread::sleep_until(plan.until);
  const double cpu = cpu_seconds() - cpu_start;
  const auto requests = counter(rt, "http.bench.status.200") + failures(rt) - requests_start;
  const double seconds = std::chrono::duration<double>(clock_type::now() - window_start).count();
  (void)rt.wait(30s);
  std::printf("http_bench_amoc rps=%.0f requests=%llu failures=%llu cpu_s=%.3f "
              "cpu_s_per_1k_req=%.4f\n",
              static_cast<double>(requests) / seconds, static_cast<unsigned long long>(requests),
              static_cast<unsigned long long>(failures(rt)), cpu,
              requests ? cpu / static_cast<double>(requests) * 1000.0 : 0.0);
  return failures(rt) == 0 ? 0 : 1;
}
