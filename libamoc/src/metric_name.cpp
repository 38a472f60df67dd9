#include "amoc/metric_name.hpp"

namespace amoc::metrics {

std::vector<std::string_view> segments_of(std::string_view name) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const auto dot = name.find('.', start);
    out.push_back(name.substr(start, dot - start));
    if (dot == std::string_view::npos)
      return out;
    start = dot + 1;
  }
}

}  // namespace amoc::metrics
