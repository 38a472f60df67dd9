// A scenario plugin that counts: built, listed and run by plugins_test.sh.
#include "amoc/scenario.hpp"

namespace {

class plugin_good final : public amoc::scenario {
public:
  void init() override {
    count_ = config<std::int64_t>("plugin_good_count");
    counted_ = &metrics().counter("plugin_good.counted");
  }
  amoc::task<> start(amoc::user& u) override {
    for (std::int64_t i = 0; i < count_; ++i) {
      co_await u.sleep(std::chrono::milliseconds{1});
      counted_->add();
    }
  }

private:
  std::int64_t count_ = 0;
  amoc::metrics::counter* counted_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(plugin_good, "plugin_good", "Counts to plugin_good_count.",
                       {{"plugin_good_count", "how far to count", "3", amoc::config::type::integer,
                         amoc::config::rules::positive()}});
