#include "amoc/runtime.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <nlohmann/json.hpp>

#include "amoc/actors.hpp"
#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/link_service.hpp"
#include "runtime_impl.hpp"

namespace amoc {

namespace {

using namespace std::chrono_literals;

// Control requests answer quickly unless the node is overloaded; start waits
// for the scenario's init(), which may legitimately take long.
constexpr auto control_wait = 30s;
const caf::duration control_timeout{control_wait};

template <class T, class Handle, class... Ts>
caf::expected<T> ask(caf::actor_system& sys, const Handle& dest, caf::duration timeout,
                     Ts&&... xs) {
  caf::scoped_actor self{sys};
  caf::expected<T> result{caf::error{}};
  self->request(dest, timeout, std::forward<Ts>(xs)...)
    .receive([&](T& value) { result = std::move(value); },
             [&](caf::error& err) { result = std::move(err); });
  return result;
}

template <class Handle, class... Ts>
caf::error ask_ok(caf::actor_system& sys, const Handle& dest, caf::duration timeout, Ts&&... xs) {
  auto result = ask<caf::ok_atom>(sys, dest, timeout, std::forward<Ts>(xs)...);
  return result ? caf::error{} : result.error();
}

// Bounds on user counts and ids, so that no counter of a run can wrap.
caf::error check_count(const char* what, std::uint64_t n) {
  if (n <= defaults::runtime::max_users_per_request)
    return {};
  return make_error(ec::invalid_argument,
                    std::string{what} + ": " + std::to_string(n) + " users is more than the "
                      + std::to_string(defaults::runtime::max_users_per_request)
                      + " one request may ask for");
}

// A start names a range, not a count: the users spawn as the pace allows and
// memory grows with live users, not with the range (1..10^12 runs).
caf::error check_range(std::uint64_t, std::uint64_t last) {
  if (last > defaults::runtime::max_start_id)
    return make_error(ec::invalid_argument, "start: user id " + std::to_string(last)
                                              + " is past the highest a start may name, "
                                              + std::to_string(defaults::runtime::max_start_id));
  return {};
}

}  // namespace

runtime::runtime() : runtime(options{}) {}

runtime::runtime(options opts) : impl_(std::make_unique<impl>(opts)) {}

runtime::~runtime() = default;

caf::error runtime::start(std::string_view scenario, std::uint64_t first, std::uint64_t last) {
  if (auto err = check_range(first, last))
    return err;
  if (impl_->distributed)
    return start(scenario, first, last, placement{});
  return ask_ok(impl_->sys, impl_->controller, caf::duration{caf::infinite}, atom::run_v,
                std::string{scenario}, first, last);
}

caf::error runtime::start(std::string_view scenario, std::uint64_t first, std::uint64_t last,
                          const placement& where) {
  if (auto err = check_range(first, last))
    return err;
  if (!impl_->distributed) {
    if (!where.nodes.empty())
      return make_error(ec::invalid_argument, "a local run has no worker nodes to choose from");
    return start(scenario, first, last);
  }
  return ask_ok(impl_->sys, impl_->cluster, caf::duration{caf::infinite}, atom::run_v,
                std::string{scenario}, first, last, where.nodes, where.comment);
}

caf::error runtime::add(std::uint64_t n) { return add(n, {}); }

caf::error runtime::add(std::uint64_t n, const std::vector<std::string>& nodes) {
  if (auto err = check_count("add", n))
    return err;
  if (!impl_->distributed) {
    if (!nodes.empty())
      return make_error(ec::invalid_argument, "a local run has no worker nodes to choose from");
    return ask_ok(impl_->sys, impl_->controller, control_timeout, atom::add_v, n);
  }
  return ask_ok(impl_->sys, impl_->cluster, control_timeout, atom::add_v, n, nodes);
}

caf::expected<std::uint64_t> runtime::remove(std::uint64_t n, bool force) {
  return remove(n, force, {});
}

caf::expected<std::uint64_t> runtime::remove(std::uint64_t n, bool force,
                                             const std::vector<std::string>& nodes) {
  if (!impl_->distributed) {
    if (!nodes.empty())
      return make_error(ec::invalid_argument, "a local run has no worker nodes to choose from");
    return ask<std::uint64_t>(impl_->sys, impl_->controller, control_timeout, atom::remove_v, n,
                              force);
  }
  return ask<std::uint64_t>(impl_->sys, impl_->cluster, control_timeout, atom::remove_v, n, force,
                            nodes);
}

caf::error runtime::stop(bool force) { return stop(force, control_wait); }

caf::error runtime::stop(bool force, duration timeout) {
  return ask_ok(impl_->sys, impl_->controller, caf::duration{timeout}, atom::stop_v, force);
}

caf::error runtime::update_settings(const config::json& settings,
                                    const std::vector<std::string>& nodes) {
  if (!settings.is_object())
    return make_error(ec::invalid_argument,
                      "settings to update must be a JSON object of name -> value, not "
                        + settings.dump());
  if (!impl_->distributed) {
    if (!nodes.empty())
      return make_error(ec::invalid_argument, "a local run has no worker nodes to choose from");
    return ask_ok(impl_->sys, impl_->controller, control_timeout, atom::update_v, settings.dump());
  }
  return ask_ok(impl_->sys, impl_->cluster, control_timeout, atom::update_v, settings.dump(),
                nodes);
}

caf::expected<amoc::status> runtime::status() { return status(control_wait); }

caf::expected<amoc::status> runtime::status(duration timeout) {
  return ask<amoc::status>(impl_->sys, impl_->controller, caf::duration{timeout}, atom::status_v);
}

caf::expected<amoc::status> runtime::wait(duration timeout) {
  auto result =
    ask<amoc::status>(impl_->sys, impl_->controller, caf::duration{timeout}, atom::wait_v);
  if (!result && result.error() == caf::sec::request_timeout)
    return make_error(ec::timeout, "the run did not end within " + to_string(timeout));
  return result;
}

caf::expected<metrics::snapshot> runtime::metrics_snapshot() {
  return metrics_snapshot(control_wait);
}

caf::expected<metrics::snapshot> runtime::metrics_snapshot(duration timeout) {
  if (!impl_->distributed)
    return impl_->metrics.snapshot();
  return ask<metrics::snapshot>(impl_->sys, impl_->cluster, caf::duration{timeout},
                                atom::metrics_v);
}

caf::expected<metrics::snapshot> runtime::counters_snapshot() {
  if (!impl_->distributed)
    return impl_->metrics.snapshot(false);
  return metrics_snapshot();
}

caf::expected<amoc::status> runtime::await_nodes(duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto st = status();
    if (!st || !impl_->distributed || std::chrono::steady_clock::now() >= deadline)
      return st;
    if (std::all_of(st->nodes.begin(), st->nodes.end(), [](auto& n) { return n.up; }))
      return st;
    std::this_thread::sleep_for(20ms);
  }
}

caf::expected<std::vector<std::pair<std::string, std::string>>>
runtime::share_plugin(const std::string& file_name, const std::string& bytes) {
  if (!impl_->distributed)
    return node_outcomes{};
  return ask<node_outcomes>(impl_->sys, impl_->cluster, control_timeout, atom::upload_v, file_name,
                            bytes);
}

bool runtime::distributed() const noexcept { return impl_->distributed; }

config::store& runtime::settings() { return impl_->store; }

metrics::registry& runtime::metrics() { return impl_->metrics; }

caf::actor_system& runtime::system() { return impl_->sys; }

}  // namespace amoc
