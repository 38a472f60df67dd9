#include "amoc/phase_error.hpp"

namespace amoc {

std::string describe_phase_failure(std::string_view protocol, std::string_view phase,
                                   std::string_view condition, std::string_view detail) {
  std::string text{protocol};
  text.append(" ").append(phase).append(": ").append(condition);
  if (!detail.empty())
    text.append(" (").append(detail).append(")");
  return text;
}

}  // namespace amoc
