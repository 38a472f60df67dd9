// Does not compile: the build must show the compiler's message.
#include "amoc/scenario.hpp"

namespace {

class typo final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user& u) override { co_await u.slep(std::chrono::seconds{1}); }
};

}  // namespace

AMOC_REGISTER_SCENARIO(typo, "typo", "Never builds.", {});
