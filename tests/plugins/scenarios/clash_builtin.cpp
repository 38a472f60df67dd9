// Registers the name of a built-in scenario from another source: refused.
#include "do_nothing.hpp"

AMOC_REGISTER_SCENARIO(do_nothing, "dummy", "Not the built-in dummy.", {});
