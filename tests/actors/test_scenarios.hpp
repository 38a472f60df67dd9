#pragma once

#include <cstdint>
#include <mutex>
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

  void reset();
  static recorder& get();
};

}  // namespace amoc::test
