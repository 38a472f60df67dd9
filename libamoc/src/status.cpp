#include <numeric>

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

}  // namespace amoc
