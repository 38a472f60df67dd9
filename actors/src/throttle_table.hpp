#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "amoc/metrics.hpp"
#include "amoc/throttle.hpp"

namespace amoc::detail {

/// What a node knows of one throttle: the limit the authority (the master, or
/// the node itself in a local run) last published, and its switches.
struct throttle_spec {
  throttle::limit how;
  bool paused = false;
  bool unlocked = false;
  friend bool operator==(const throttle_spec&, const throttle_spec&) = default;
};

/// The throttles of one node: who waits where, and when the next action may
/// go. Pure bookkeeping over a caller-supplied time, so rates, pauses and
/// shares are tested without actors; the caller holds the node's lock.
///
/// A rate lets actions through at slots one `gap` apart, `gap` being
/// interval x nodes / rate: every node lets its share through evenly spaced,
/// so the cluster never exceeds the rate and never bursts. Slots are absolute
/// (the next one is the previous one plus `gap`), so late timer ticks do not
/// lower the rate: up to `defaults::runtime::throttle_catch_up` of missed
/// slots go at once; a throttle idle for longer starts afresh rather than
/// catching up in a burst.
class throttle_table {
public:
  using time_point = std::chrono::steady_clock::time_point;
  using waiter = throttle::detail::request;

  explicit throttle_table(metrics::registry* registry = nullptr) : registry_(registry) {}

  /// Defines `name` unless it exists; false when it exists with another limit.
  bool define(const std::string& name, const throttle::limit& how);
  /// Replaces what `name` does (creating it); an empty spec removes it and
  /// grants its waiters.
  void apply(const std::string& name, const std::optional<throttle_spec>& spec, time_point now);
  /// How many nodes share every rate (1 in a local run).
  void set_nodes(std::uint64_t nodes) { nodes_ = nodes ? nodes : 1; }
  [[nodiscard]] std::uint64_t nodes() const noexcept { return nodes_; }

  [[nodiscard]] bool contains(const std::string& name) const { return entries_.count(name) > 0; }
  [[nodiscard]] const throttle_spec* spec(const std::string& name) const;

  /// An action asks to go at `now`: true if it may at once (nothing queued
  /// before it), else `w` is queued and granted later.
  bool acquire(const std::string& name, waiter& w, time_point now);
  /// `w` gives up its place (its user was stopped).
  void cancel(const std::string& name, waiter& w);
  /// An action that `run` started ended: frees its parallel place.
  void finished(const std::string& name, time_point now);
  /// Grants every waiter that may go at `now`; returns when the next one may
  /// (nullopt: none is waiting on time, only on a resume or a finished action).
  std::optional<time_point> release_due(time_point now);

  /// Every throttle's name and spec (to republish a node's definitions).
  [[nodiscard]] std::map<std::string, throttle_spec> specs() const;
  /// Users queued at `name`.
  [[nodiscard]] std::size_t queued(const std::string& name) const;

  /// Forgets every throttle, granting the waiters (the run ended).
  void clear();

private:
  struct entry {
    throttle_spec spec;
    std::optional<time_point> last_slot;  // when the last rated action went
    std::uint64_t running = 0;            // actions of `run` not finished yet
    std::deque<waiter*> queue;
    metrics::counter* requests = nullptr;
    metrics::counter* executions = nullptr;
  };

  entry& make(const std::string& name, const throttle_spec& spec);
  /// Takes one action's place at `now` if the limit allows it.
  bool take(entry& e, time_point now);
  [[nodiscard]] duration gap(const entry& e) const;
  void grant_all(entry& e);
  std::optional<time_point> release(entry& e, time_point now);

  metrics::registry* registry_;
  std::uint64_t nodes_ = 1;
  std::map<std::string, entry, std::less<>> entries_;
};

}  // namespace amoc::detail
