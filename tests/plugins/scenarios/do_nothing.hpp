#pragma once
// A scenario whose users do nothing, for the plugins that test names (a header
// next to the sources: plugins include what their folder holds).
#include "amoc/scenario.hpp"

namespace {

class do_nothing final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user&) override { co_return; }
};

}  // namespace
