#include "exit_codes.hpp"

#include <cstdio>
#include <string>

#include "amoc/error.hpp"

namespace amoc::cli {

exit_code exit_code_for(const caf::error& err) {
  if (err.category() != ec_category)
    return run_failed;
  switch (static_cast<ec>(err.code())) {
  case ec::missing_config:
  case ec::invalid_config:
  case ec::bad_config_file:
  case ec::bad_run_file:
  case ec::unknown_scenario:
  case ec::invalid_argument:
  case ec::insecure_link:
  case ec::unknown_node: return bad_input;
  default: return run_failed;
  }
}

exit_code fail(std::string_view command, const caf::error& err) {
  std::fprintf(stderr, "amoc %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               render(err).c_str());
  return exit_code_for(err);
}

}  // namespace amoc::cli
