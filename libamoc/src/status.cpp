#include <numeric>

#include "amoc/id_range.hpp"
#include "amoc/status.hpp"

namespace amoc {

const char* to_string(run_state s) {
  switch (s) {
  case run_state::idle: return "idle";
  case run_state::running: return "running";
  case run_state::terminating: return "terminating";
  case run_state::finished: return "finished";
  case run_state::error: return "error";
  }
  return "unknown";
}

std::uint64_t user_counts::ended_total() const noexcept {
  return std::accumulate(ended.begin(), ended.end(), std::uint64_t{0});
}

std::string to_string(const id_range& r) {
  if (r.empty())
    return "none";
  auto text = std::to_string(r.first) + ".." + std::to_string(r.last());
  return r.stride == 1 ? text : text + "/" + std::to_string(r.stride);
}

}  // namespace amoc
