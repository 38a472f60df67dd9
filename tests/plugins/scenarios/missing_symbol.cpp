// Calls a function nothing defines: dlopen fails, the loader names the symbol.
#include "amoc/scenario.hpp"

void amoc_test_not_defined_anywhere();

namespace {

class missing_symbol final : public amoc::scenario {
public:
  void init() override { amoc_test_not_defined_anywhere(); }
  amoc::task<> start(amoc::user&) override { co_return; }
};

}  // namespace

AMOC_REGISTER_SCENARIO(missing_symbol, "missing_symbol", "Never loads.", {});
