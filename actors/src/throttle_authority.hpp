#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "amoc/throttle.hpp"
#include "throttle_table.hpp"

namespace amoc::detail {

/// One change to a throttle, as scenario code asks for it. Crosses the
/// network as JSON text (a node's request to the master).
struct throttle_op {
  enum class kind : std::uint8_t { start, change, gradually, pause, resume, unlock, stop };
  kind what = kind::start;
  throttle::limit how;  // start, change, gradually (from)
  throttle::limit to;   // gradually
  throttle::gradual plan;

  [[nodiscard]] std::string to_json() const;
  /// Throws std::invalid_argument for text that is not an operation.
  [[nodiscard]] static throttle_op from_json(const std::string& text);
};

/// A throttle spec as JSON text ("null": the throttle was stopped).
[[nodiscard]] std::string spec_to_json(const std::optional<throttle_spec>& spec);
[[nodiscard]] std::optional<throttle_spec> spec_from_json(const std::string& text);

/// The owner of a run's throttle definitions: the master in a distributed
/// run, the node itself in a local one. It turns operations into the specs
/// every node applies, and walks gradual changes step by step. Pure: the
/// actor holding it publishes the specs and arms the step timers.
class throttle_authority {
public:
  /// What an operation or a step changed.
  struct effect {
    std::vector<std::pair<std::string, std::optional<throttle_spec>>> publish;
    /// Call `step(name, generation)` after this long.
    std::optional<std::pair<duration, std::uint64_t>> step_after;
  };

  /// A node's `start` of an unknown name defines it; of a known one (every
  /// node runs init) it republishes the master's version.
  effect apply(const std::string& name, const throttle_op& op);
  /// The next step of a gradual change (ignored once another change replaced it).
  effect step(const std::string& name, std::uint64_t generation);

  [[nodiscard]] const std::map<std::string, throttle_spec>& specs() const noexcept {
    return specs_;
  }
  void clear();

private:
  struct ramp {
    throttle::limit from;
    throttle::limit to;
    throttle::gradual plan;
    std::uint64_t done = 0;
  };

  effect publish(const std::string& name);

  std::map<std::string, throttle_spec> specs_;
  std::map<std::string, ramp> ramps_;
  std::map<std::string, std::uint64_t> generations_;
};

}  // namespace amoc::detail
