// throttled: every user acts as often as throttle "throttled" lets it:
// `throttled_rate` actions per `throttled_interval` across the whole run (all
// nodes together), counted in `throttled.actions`. Used by the cluster-wide
// rate test and benchmark (scripts/bench/throttle).

#include "amoc/scenario.hpp"
#include "amoc/throttle.hpp"

namespace {

class throttled final : public amoc::scenario {
public:
  void init() override {
    actions_ = &metrics().counter("throttled.actions");
    amoc::throttle::start(
      "throttled", amoc::throttle::limit::rate(config<double>("throttled_rate"),
                                               config<amoc::duration>("throttled_interval")));
  }

  amoc::task<> start(amoc::user& u) override {
    co_await amoc::throttle::wait(u, "throttled");
    actions_->add();
  }

private:
  amoc::metrics::counter* actions_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(throttled, "throttled",
                       "Users act as often as a cluster-wide throttle lets them.",
                       {{"throttled_rate", "actions per throttled_interval, all nodes together",
                         "100", amoc::config::type::number, amoc::config::rules::non_negative()},
                        {"throttled_interval", "the interval of throttled_rate", "1s",
                         amoc::config::type::duration, amoc::config::rules::positive()}});
