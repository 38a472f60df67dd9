// One of two plugins registering the same name: the second one is refused.
#include "amoc/scenario.hpp"

namespace {

class twin_a final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user&) override { co_return; }
};

}  // namespace

AMOC_REGISTER_SCENARIO(twin_a, "twin", "Twin a.", {});
