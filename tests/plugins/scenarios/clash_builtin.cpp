// Registers the name of a built-in scenario from another source: refused.
#include "amoc/scenario.hpp"

namespace {

class clash final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user&) override { co_return; }
};

}  // namespace

AMOC_REGISTER_SCENARIO(clash, "dummy", "Not the built-in dummy.", {});
