#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "amoc/coordinator.hpp"

namespace amoc::detail {

/// The coordinators of one node: pure bookkeeping of who is in which group,
/// over a caller-supplied time; the caller holds the node's lock and runs
/// what a step returns (`firing`) outside it: first the actions, then the
/// grants, so a user resumes after the actions left data for it.
class coordinator_table {
public:
  using time_point = std::chrono::steady_clock::time_point;
  using slot_ptr = std::shared_ptr<coordinator::detail::slot>;

  /// What a step set off: actions to call, then users to resume.
  struct firing {
    std::vector<std::function<void()>> calls;
    std::vector<std::pair<slot_ptr, coordinator::event>> grants;
  };

  /// Throws std::invalid_argument for a name in use or a bad plan.
  void start(const std::string& name, coordinator::plan p, duration timeout);
  /// Adds a user; returns the groups it completed. Throws for an unknown name.
  firing add(const std::string& name, slot_ptr s, time_point now);
  /// Unfinished groups and `all` items act with event `type`; `stop` also
  /// removes the coordinator. Unknown names are ignored (already stopped).
  firing fire(const std::string& name, coordinator::event_type type);
  /// When `name` times out (nullopt: nobody waits, or no timeout).
  [[nodiscard]] std::optional<time_point> deadline(const std::string& name) const;
  /// Names with a pending timeout.
  [[nodiscard]] std::vector<std::string> names() const;
  [[nodiscard]] bool contains(const std::string& name) const { return entries_.count(name) > 0; }
  /// Forgets every coordinator (the run ended); their users are resumed by the caller.
  firing clear();

private:
  struct group_state {
    coordinator::item item;
    std::vector<slot_ptr> members;
    std::size_t target = 0;  // size of the group being filled
  };
  struct entry {
    std::vector<group_state> items;
    duration timeout{};
    std::optional<time_point> last_add;
    std::minstd_rand random{1};  // group sizes of range items: reproducible
    std::size_t sized = 0;       // items with a size (not `all`)
  };

  void draw_target(entry& e, group_state& g);
  void act(entry& e, group_state& g, coordinator::event_type type, firing& out);

  std::map<std::string, entry, std::less<>> entries_;
};

}  // namespace amoc::detail
