// The scenario-facing headers must stay light so a scenario compiles in
// seconds: no CAF, and nlohmann/json only forward-declared.
#include "amoc/scenario.hpp"

#ifdef CAF_VERSION
#error "amoc/scenario.hpp must not include CAF headers"
#endif
#ifdef INCLUDE_NLOHMANN_JSON_HPP_
#error "amoc/scenario.hpp must not include the full nlohmann/json.hpp"
#endif
