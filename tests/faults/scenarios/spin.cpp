// A scenario whose user `spin_user` never yields: it loops on the CPU inside
// start(), so neither a graceful nor a forced stop can reach it. The other
// users sleep and count, so the run has something to report.
#include <atomic>

#include "amoc/scenario.hpp"

namespace {

std::atomic<bool> keep_spinning{true};

class spin final : public amoc::scenario {
public:
  void init() override {
    spinner_ = config<std::int64_t>("spin_user");
    naps_ = &metrics().counter("spin.naps");
  }
  amoc::task<> start(amoc::user& u) override {
    if (static_cast<std::int64_t>(u.id()) == spinner_)
      while (keep_spinning.load(std::memory_order_relaxed)) {
      }
    co_await u.sleep(std::chrono::milliseconds{100});
    naps_->add();
  }

private:
  std::int64_t spinner_ = 0;
  amoc::metrics::counter* naps_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(spin, "spin", "User spin_user never yields; the others nap.",
                       {{"spin_user", "the id of the user that never yields", "2",
                         amoc::config::type::integer, amoc::config::rules::positive()}});
