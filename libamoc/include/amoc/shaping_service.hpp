#pragma once

/// `amoc::detail::shaping_service`: the node side of `amoc::throttle` and
/// `amoc::coordinator`, for the runtime. The core defines the public API over
/// this interface; the actors implement it (one per run and node) and set it
/// for the scenario code they run (`scope`), so scenarios need only the core.

#include <functional>
#include <memory>
#include <string>

#include "amoc/config.hpp"
#include "amoc/coordinator.hpp"
#include "amoc/throttle.hpp"

namespace amoc::detail {

/// The load-shaping state of one run on one node, as the public API sees it.
/// Every function may throw std::invalid_argument for an unknown name.
class shaping_service {
public:
  /// The service of the scenario code running on this thread; throws
  /// std::logic_error outside scenario code.
  [[nodiscard]] static shaping_service& current();
  /// Sets `current()` for the lifetime of the scope.
  class scope {
  public:
    explicit scope(shaping_service* service) noexcept;
    ~scope();
    scope(const scope&) = delete;
    scope& operator=(const scope&) = delete;

  private:
    shaping_service* previous_;
  };

  // ---- amoc::throttle (limits already checked) ----------------------------
  /// Defines the throttle (throws if it exists with another limit) and starts it.
  virtual void throttle_start(const std::string& name, const throttle::limit& how) = 0;
  virtual void throttle_change(const std::string& name, const throttle::limit& how) = 0;
  virtual void throttle_change_gradually(const std::string& name, const throttle::limit& from,
                                         const throttle::limit& to,
                                         const throttle::gradual& plan) = 0;
  virtual void throttle_pause(const std::string& name) = 0;
  virtual void throttle_resume(const std::string& name) = 0;
  virtual void throttle_unlock(const std::string& name) = 0;
  virtual void throttle_stop(const std::string& name) = 0;
  /// Under the node's lock: true if `r` may go at once, else `r` is queued
  /// and `park` called before the lock is released (a grant may follow at once).
  virtual bool throttle_acquire(const std::string& name, throttle::detail::request& r,
                                const std::function<void()>& park) = 0;
  /// Under the node's lock: `r` leaves the queue unless `granted` (read there).
  virtual void throttle_leave(const std::string& name, throttle::detail::request& r,
                              const bool& granted) = 0;
  /// Ends one action started by `throttle::run` (frees its parallel place).
  virtual void throttle_finished(const std::string& name) = 0;

  // ---- amoc::coordinator --------------------------------------------------
  virtual void coordinator_start(const std::string& name, coordinator::plan p,
                                 duration timeout) = 0;
  /// Acts as on a timeout with event `type` (reset, stop).
  virtual void coordinator_fire(const std::string& name, coordinator::event_type type) = 0;
  /// Adds `s` and runs what its arrival completed; then, under the node's
  /// lock, calls `park` (which returns whether the user waits).
  virtual bool coordinator_join(const std::string& name,
                                std::shared_ptr<coordinator::detail::slot> s,
                                const std::function<bool()>& park) = 0;
  /// Under the node's lock: `s` no longer has a user waiting at it.
  virtual void coordinator_leave(coordinator::detail::slot& s) = 0;

protected:
  shaping_service() = default;
  ~shaping_service() = default;
  shaping_service(const shaping_service&) = delete;
  shaping_service& operator=(const shaping_service&) = delete;
};

}  // namespace amoc::detail
