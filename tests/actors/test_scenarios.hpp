#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace amoc::test {

/// What the test scenarios did, for the tests to check.
struct recorder {
  std::mutex mutex;
  std::vector<std::uint64_t> iterations_started;  ///< user id per iteration start
  std::vector<std::uint64_t> iterations_done;     ///< user id per finished iteration
  std::vector<std::uint64_t> frames_destroyed;    ///< user id whose frame died mid-iteration
  int inits = 0;
  int terminates = 0;
  /// The run's shaping node, taken in init() by the shaping scenarios, so
  /// tests can call the throttle and coordinator API as scenario code would.
  void* shaping = nullptr;
  /// "id event users" per user resumed by a coordinator.
  std::vector<std::string> coordinated;
  /// "id username password partner email" per user of t_params.
  std::vector<std::string> params;

  void reset();
  static recorder& get();
};

}  // namespace amoc::test
