// One of two plugins registering the same name: the second one is refused.
#include "do_nothing.hpp"

AMOC_REGISTER_SCENARIO(do_nothing, "twin", "Twin b.", {});
