#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "amoc/config.hpp"
#include "amoc/scenario.hpp"
#include "amoc/settings.hpp"

namespace amoc::detail {

/// What the users of one run on one node share: the scenario instance (after
/// its init()), the settings read at run start and live user counters.
/// Users update the counters with relaxed atomics, once per state change.
struct run_context {
  run_context(std::unique_ptr<scenario> s, const config::store& cfg, run_settings rs)
    : instance(std::move(s)), store(cfg), settings(rs) {}

  std::unique_ptr<scenario> instance;
  const config::store& store;
  run_settings settings;

  std::atomic<std::int64_t> running{0};
  std::atomic<std::int64_t> waiting{0};
  std::atomic<std::int64_t> stopping{0};
};

} // namespace amoc::detail
