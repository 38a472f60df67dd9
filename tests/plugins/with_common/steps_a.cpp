// A scenario that counts the steps common/steps.cpp gives it (plugins_test.sh).
#include "amoc/scenario.hpp"

#include "common/steps.hpp"

namespace {

class steps_a final : public amoc::scenario {
public:
  void init() override { counted_ = &metrics().counter("steps_a.counted"); }
  amoc::task<> start(amoc::user&) override {
    counted_->add(static_cast<std::uint64_t>(with_common::steps_per_user()));
    co_return;
  }

private:
  amoc::metrics::counter* counted_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(steps_a, "steps_a", "Counts the shared steps.", {});
