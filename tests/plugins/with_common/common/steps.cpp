#include "steps.hpp"

namespace with_common {

int steps_per_user() { return 5; }

}  // namespace with_common
