#include "controller.hpp"

#include <limits>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "amoc/actors.hpp"
#include "user_supervisor.hpp"

namespace amoc::detail {

namespace {

constexpr auto all_users = std::numeric_limits<std::uint64_t>::max();

// Forwards a request to `dest` and answers with its reply (or error).
template <class T, class... Ts>
caf::typed_response_promise<T> relay_to_supervisor(controller_actor self,
                                                   const supervisor_api& dest, Ts... xs) {
  auto rp = self->make_response_promise<T>();
  self->request(dest, caf::infinite, xs...)
    .then([=](T& reply) mutable { rp.deliver(std::move(reply)); },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

}  // namespace

caf::error controller_state::require(std::initializer_list<run_state> allowed,
                                     const char* action) const {
  for (auto s : allowed)
    if (s == state)
      return {};
  return make_error(ec::wrong_state,
                    std::string{"cannot "} + action + " while the run is " + to_string(state));
}

void controller_state::enter(run_state next) {
  state = next;
  if (!is_final(next))
    return;
  auto result = snapshot(final_users);
  for (auto& rp : waiters)
    rp.deliver(result);
  waiters.clear();
}

caf::result<caf::ok_atom> controller_state::start_run(const std::string& name, id_range ids) {
  if (auto err = require({run_state::idle, run_state::finished, run_state::error}, "start"))
    return err;
  final_users = {};
  enter(run_state::running);
  scenario = name;
  error.clear();
  first_id = ids.first;
  next_id = ids.empty() ? ids.first : ids.last() + 1;
  auto rp = self->make_response_promise<caf::ok_atom>();
  self->request(supervisor, caf::infinite, atom::start_v, name, ids)
    .then([rp](caf::ok_atom) mutable { rp.deliver(caf::ok_atom::value); },
          [this, rp](caf::error& err) mutable {
            error = render(err);
            enter(run_state::error);
            rp.deliver(std::move(err));
          });
  return rp;
}

void controller_state::finish_run() {
  if (finishing)
    return;
  finishing = true;
  // If users were added while the supervisor reported idle, it refuses to
  // finish and the run simply goes on.
  self->request(supervisor, caf::infinite, atom::stop_v)
    .then(
      [this](user_counts& users) {
        finishing = false;
        final_users = users;
        enter(run_state::finished);
      },
      [this](caf::error&) { finishing = false; });
}

status run_status(run_state state, const std::string& scenario, std::uint64_t first_id,
                  std::uint64_t next_id, const std::string& error) {
  status result;
  result.state = state;
  result.scenario = scenario;
  result.first_id = first_id;
  result.next_id = next_id;
  result.error = error;
  return result;
}

status controller_state::snapshot(user_counts users) const {
  auto result = run_status(state, scenario, first_id, next_id, error);
  result.users = users;
  return result;
}

controller_api::behavior_type controller(controller_actor self, config::store* store,
                                         metrics::registry* registry, node_agent_api manager,
                                         std::shared_ptr<shipped_users> shipped) {
  self->state.manager = std::move(manager);
  self->state.supervisor = self->spawn<caf::linked>(
    user_supervisor, store, registry, caf::actor_cast<control_api>(self), std::move(shipped));
  auto sup = [self] { return self->state.supervisor; };
  return {
    [=](atom::run, const std::string& scenario, std::uint64_t first,
        std::uint64_t last) -> caf::result<caf::ok_atom> {
      if (first > last)
        return make_error(ec::invalid_argument, "empty user range: first id "
                                                  + std::to_string(first) + " > last id "
                                                  + std::to_string(last));
      return self->state.start_run(scenario, id_range::between(first, last));
    },
    // A worker node's share of a distributed run; may be empty (more nodes than users).
    [=](atom::run, const std::string& scenario, id_range ids) -> caf::result<caf::ok_atom> {
      return self->state.start_run(scenario, ids);
    },
    [=](atom::add, std::uint64_t n) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (auto err = st.require({run_state::running}, "add users"))
        return err;
      if (n == 0)
        return make_error(ec::invalid_argument, "add needs at least one user");
      const id_range ids{st.next_id, n, 1};
      st.next_id += n;
      auto rp = self->make_response_promise<caf::ok_atom>();
      self->request(sup(), caf::infinite, atom::add_v, ids)
        .then([=](caf::ok_atom ok) mutable { rp.deliver(ok); },
              [=](caf::error& err) mutable {
                // Refused (past the users file's rows): these ids were not
                // used, unless a later add already took the next ones.
                auto& now = self->state;
                if (now.next_id == ids.first + ids.count)
                  now.next_id = ids.first;
                rp.deliver(std::move(err));
              });
      return rp;
    },
    [=](atom::add, id_range ids) -> caf::result<caf::ok_atom> {
      if (auto err = self->state.require({run_state::running}, "add users"))
        return err;
      return relay_to_supervisor<caf::ok_atom>(self, sup(), atom::add_v, ids);
    },
    [=](atom::remove, std::uint64_t n, bool force) -> caf::result<std::uint64_t> {
      if (auto err =
            self->state.require({run_state::running, run_state::terminating}, "remove users"))
        return err;
      return relay_to_supervisor<std::uint64_t>(self, sup(), atom::remove_v, n, force);
    },
    [=](atom::stop, bool force) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (auto err = st.require({run_state::running, run_state::terminating}, "stop"))
        return err;
      st.enter(run_state::terminating);
      self->request(sup(), caf::infinite, atom::remove_v, all_users, force).then([](std::uint64_t) {
      });
      return caf::ok_atom::value;
    },
    [=](atom::update, const std::string& settings) -> caf::result<caf::ok_atom> {
      return relay_to_supervisor<caf::ok_atom>(self, sup(), atom::update_v, settings);
    },
    [=](atom::idle) {
      auto& st = self->state;
      if (st.state != run_state::running && st.state != run_state::terminating)
        return;
      // A managed node's run ends when its master says so: it may add users later.
      if (st.manager)
        self->send(st.manager, atom::idle_v);
      else
        st.finish_run();
    },
    [=](atom::finish) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (auto err = st.require({run_state::running, run_state::terminating}, "finish"))
        return err;
      auto rp = self->make_response_promise<caf::ok_atom>();
      self->request(sup(), caf::infinite, atom::stop_v)
        .then(
          [=](user_counts& users) mutable {
            self->state.final_users = users;
            self->state.enter(run_state::finished);
            rp.deliver(caf::ok_atom::value);
          },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      return rp;
    },
    [=](atom::status) -> caf::result<status> {
      auto rp = self->make_response_promise<status>();
      self->request(sup(), caf::infinite, atom::status_v)
        .then([=](user_counts& users) mutable { rp.deliver(self->state.snapshot(users)); },
              [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
      return rp;
    },
    [=](atom::wait) -> caf::result<status> {
      auto& st = self->state;
      if (st.state != run_state::running && st.state != run_state::terminating)
        return st.snapshot(st.final_users);
      auto rp = self->make_response_promise<status>();
      st.waiters.push_back(rp);
      return rp;
    },
  };
}

}  // namespace amoc::detail
