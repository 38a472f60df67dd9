// dummy: each user sleeps `dummy_sleep` per iteration and counts iterations.
// Used by the demo, the tests and the idle-users benchmark.

#include <atomic>

#include "amoc/scenario.hpp"

namespace {

using namespace std::chrono_literals;

class dummy final : public amoc::scenario {
public:
  void init() override {
    sleep_ = config<amoc::duration>("dummy_sleep");
    if (config<bool>("dummy_fail_init"))
      throw std::runtime_error("dummy_fail_init is set");
  }

  amoc::task<> start(amoc::user& u) override {
    co_await u.sleep(sleep_);
    iterations_.fetch_add(1, std::memory_order_relaxed);
    if (u.iteration() == 1)
      u.debug() << "first iteration done";
  }

  void terminate() override {
    amoc::log::line(amoc::log::level::info, "dummy: ") << iterations_.load() << " iterations";
  }

private:
  amoc::duration sleep_{};
  std::atomic<std::uint64_t> iterations_{0};
};

}  // namespace

AMOC_REGISTER_SCENARIO(dummy, "dummy", "Each user sleeps dummy_sleep per iteration.",
                       {{"dummy_sleep", "how long one iteration sleeps", "100ms",
                         amoc::config::type::duration, amoc::config::rules::non_negative()},
                        {"dummy_fail_init", "make init() fail (for tests)", "false",
                         amoc::config::type::boolean, std::nullopt}});
