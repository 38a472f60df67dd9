#include "amoc/runtime.hpp"

#include <chrono>
#include <limits>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "amoc/actors.hpp"
#include "amoc/error.hpp"

namespace amoc {

namespace {

using namespace std::chrono_literals;

// Control requests answer quickly unless the node is overloaded; start waits
// for the scenario's init(), which may legitimately take long.
const caf::duration control_timeout{30s};

struct node_config : caf::actor_system_config {
  explicit node_config(std::size_t threads) { configure_node(*this, threads); }
};

template <class T, class... Ts>
caf::expected<T> ask(caf::actor_system& sys, const caf::actor& dest, caf::duration timeout,
                     Ts&&... xs) {
  caf::scoped_actor self{sys};
  caf::expected<T> result{caf::error{}};
  self->request(dest, timeout, std::forward<Ts>(xs)...)
    .receive([&](T& value) { result = std::move(value); },
             [&](caf::error& err) { result = std::move(err); });
  return result;
}

template <class... Ts>
caf::error ask_ok(caf::actor_system& sys, const caf::actor& dest, caf::duration timeout,
                  Ts&&... xs) {
  auto result = ask<caf::ok_atom>(sys, dest, timeout, std::forward<Ts>(xs)...);
  return result ? caf::error{} : result.error();
}

}  // namespace

struct runtime::impl {
  explicit impl(options opts)
      : store(opts.store ? *opts.store : config::global()), cfg(opts.threads), sys(cfg),
        controller(spawn_local_node(sys, store, metrics)) {}

  ~impl() {
    // The supervisor, linked to the controller, force-stops its users as it
    // goes, so the actor system's shutdown does not wait for them.
    caf::anon_send_exit(controller, caf::exit_reason::user_shutdown);
  }

  config::store& store;
  metrics::registry metrics;
  node_config cfg;
  caf::actor_system sys;
  caf::actor controller;
};

runtime::runtime() : runtime(options{}) {}

runtime::runtime(options opts) : impl_(std::make_unique<impl>(opts)) {}

runtime::~runtime() = default;

caf::error runtime::start(std::string_view scenario, std::uint64_t first, std::uint64_t last) {
  return ask_ok(impl_->sys, impl_->controller, caf::duration{caf::infinite}, atom::run_v,
                std::string{scenario}, first, last);
}

caf::error runtime::add(std::uint64_t n) {
  return ask_ok(impl_->sys, impl_->controller, control_timeout, atom::add_v, n);
}

caf::expected<std::uint64_t> runtime::remove(std::uint64_t n, bool force) {
  return ask<std::uint64_t>(impl_->sys, impl_->controller, control_timeout, atom::remove_v, n,
                            force);
}

caf::error runtime::stop(bool force) {
  return ask_ok(impl_->sys, impl_->controller, control_timeout, atom::stop_v, force);
}

caf::expected<amoc::status> runtime::status() {
  return ask<amoc::status>(impl_->sys, impl_->controller, control_timeout, atom::status_v);
}

caf::expected<amoc::status> runtime::wait(duration timeout) {
  auto result =
    ask<amoc::status>(impl_->sys, impl_->controller, caf::duration{timeout}, atom::wait_v);
  if (!result && result.error() == caf::sec::request_timeout)
    return make_error(ec::timeout, "the run did not end within " + to_string(timeout));
  return result;
}

config::store& runtime::settings() { return impl_->store; }

metrics::registry& runtime::metrics() { return impl_->metrics; }

caf::actor_system& runtime::system() { return impl_->sys; }

}  // namespace amoc
