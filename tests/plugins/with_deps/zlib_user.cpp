// Uses zlib, which this folder's dependencies.cmake adds to the build.
#include <zlib.h>

#include "amoc/scenario.hpp"

namespace {

class zlib_user final : public amoc::scenario {
public:
  void init() override { amoc::log::line(amoc::log::level::info, "zlib ") << zlibVersion(); }
  amoc::task<> start(amoc::user&) override { co_return; }
};

}  // namespace

AMOC_REGISTER_SCENARIO(zlib_user, "zlib_user", "Links zlib.", {});
