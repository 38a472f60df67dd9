// Includes the scenario API but registers nothing: the loader refuses it.
#include "amoc/scenario.hpp"

int amoc_test_unused_function() { return 42; }
