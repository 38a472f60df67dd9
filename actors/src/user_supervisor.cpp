#include "user_supervisor.hpp"

#include <exception>
#include <functional>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "amoc/actors.hpp"
#include "amoc/config_file.hpp"
#include "amoc/config_update.hpp"
#include "amoc/crash_guard.hpp"
#include "amoc/defaults.hpp"
#include "amoc/json_input.hpp"
#include "amoc/log.hpp"
#include "amoc/metrics_on_demand.hpp"
#include "amoc/scenario.hpp"
#include "shaping_node.hpp"
#include "user_actor.hpp"

namespace amoc::detail {

namespace {

// Created when the first user ends so: a threshold on one that did not happen sees 0.
const metrics::on_demand ended_metrics{[] {
  std::vector<std::string> names;
  for (auto reason : all_exit_reasons)
    names.push_back(std::string{"users.ended."} + to_string(reason));
  return names;
}()};

// For users' threads: sends the supervisor `what`, if it still lives.
template <class Atom>
std::function<void()> poke(caf::actor_addr supervisor, Atom what) {
  return [supervisor = std::move(supervisor), what] {
    if (auto alive = caf::actor_cast<caf::actor>(supervisor))
      caf::anon_send(alive, what);
  };
}

caf::error validate_run(const config::store& store, const scenario_info& info) {
  auto vars = builtin_variables();
  vars.insert(vars.end(), info.variables.begin(), info.variables.end());
  return config::check(store, vars);
}

// Every user is a `user_actor`: its stop request is handed over directly, not
// as an exit message, a heap-allocated message per user that it only unpacks.
void stop_user(const caf::actor& user, const caf::error& reason) {
  static_cast<user_actor*>(caf::actor_cast<caf::abstract_actor*>(user))->request_exit(reason);
}

}  // namespace

user_supervisor_state::~user_supervisor_state() {
  if (run)
    stop_shaping(self->system(), *run->shaping);
  const auto reason = make_error(exit::forced_stop, "user supervisor ended");
  users.take_newest(users.size(), user_table::mark::killed, user_table::newest,
                    [&](const caf::actor& user) { stop_user(user, reason); });
}

caf::expected<std::shared_ptr<const users::table>> user_supervisor_state::users_for(id_range ids) {
  users_rows_ = 0;
  if (shipped)
    return shipped->current();
  const auto path = store->get<std::string>("users_file", "");
  if (path.empty())
    return std::shared_ptr<const users::table>{};
  // Rows before the first id are never used: user N is row N.
  auto file = users::load(path, ids.first);
  if (!file)
    return file.error();
  if (!ids.empty())
    if (auto err = users::check_covers(path, file->rows, ids.first, ids.last()))
      return err;
  users_rows_ = file->rows;
  auto rows = std::make_shared<users::table>(path, file->header);
  rows->add(std::move(file->kept));
  return std::shared_ptr<const users::table>{std::move(rows)};
}

caf::error user_supervisor_state::start(const std::string& name, id_range ids) {
  if (run)
    return make_error(ec::wrong_state, "a run is already active on this node");
  const auto* info = find_scenario(name);
  if (!info)
    return make_error(ec::unknown_scenario, name);
  store->declare(builtin_variables());
  store->declare(info->variables);
  if (auto err = validate_run(*store, *info))
    return err;
  // Before init(): a bad users file stops the run before anything happened.
  auto rows = users_for(ids);
  if (!rows)
    return rows.error();
  // A run's metrics start from zero, before init() may record any.
  registry->reset();
  user_metrics = {&registry->counter("users.started"), &registry->gauge("users.running"), {}};
  // Every end reason from the start, at 0: a threshold such as
  // `users.ended.scenario_error count == 0` names a metric the run has.
  for (auto reason : all_exit_reasons)
    user_metrics.ended_by(reason) =
      &registry->counter(std::string{"users.ended."} + to_string(reason));
  auto shaping = start_shaping(self->system(), *store, *registry);
  try {
    auto instance = info->make();
    crash::set_scenario(name);
    scenario_access::bind(*instance, *store, *registry);
    {
      shaping_node::scope in{shaping.get()};
      instance->init();
    }
    const auto settings = run_settings::from(*store);
    run = std::make_shared<run_context>(std::move(instance), *store, settings, *registry,
                                        self->system());
    run->rows = std::move(*rows);
    run->gate.on_open = poke(self->address(), atom::spawn_v);
    run->wheel->set_own(poke(self->address(), atom::spawn_v));
    run->ends->on_first = poke(self->address(), atom::ended_v);
    pending = spawn_queue{settings.interarrival};
  } catch (const std::exception& e) {
    stop_shaping(self->system(), *shaping);
    return make_error(ec::scenario_init_failed, name + ": " + e.what());
  }
  run->shaping = std::move(shaping);
  started = 0;
  ended = {};
  return add(ids);
}

caf::error user_supervisor_state::add(id_range ids) {
  if (ids.empty())
    return {};
  if (users_rows_ > 0 && run && run->rows)
    if (auto err = users::check_covers(run->rows->source(), users_rows_, ids.first, ids.last()))
      return err;
  pending.push(ids, self->clock().now());
  spawn_due();
  return {};
}

void user_supervisor_state::spawn_due() {
  if (!run)
    return;
  // Users of the last batch still waiting for a thread: the last of them to
  // run sends the next tick (the gate), so this one yields the thread.
  if (!pending.empty() && !run->gate.try_open())
    return;
  auto spawn_one = [this](std::uint64_t id) {
    run->gate.spawned();
    users.add(spawn_user(self->system(), id, run));
    ++started;
    user_metrics.started->add();
    user_metrics.running->add(1);
  };
  pending.pop_due(self->clock().now(), defaults::runtime::spawn_batch, spawn_one);
  schedule_tick();
}

void user_supervisor_state::schedule_tick() {
  auto due = pending.next_due();
  if (!due || tick_scheduled)
    return;
  tick_scheduled = true;
  auto now = self->clock().now();
  // A zero delay still goes through the mailbox, so a large batch yields to
  // status and remove requests between chunks. A later one is the wheel's
  // own timer: an arrival wakes the loop that ticks the users' timers, not
  // also CAF's clock thread (measured: 6.6 futex calls a login, and 6.5% of
  // a login run's CPU, in that thread).
  if (*due <= now)
    self->send(self, atom::spawn_v);
  else if (run->wheel->arm_own(now, *due))
    run->ticks->look_again();
}

std::uint64_t user_supervisor_state::remove(std::uint64_t n, bool force) {
  const auto dropped = pending.drop_newest(n);
  const auto mark = force ? user_table::mark::killed : user_table::mark::stopping;
  // Users that earlier requests are about to mark are not there to take.
  auto eligible = users.count_below(mark);
  for (const auto& job : removals)
    if (job.mark >= mark)
      eligible -= std::min(eligible, job.remaining);
  const auto from_table = std::min(n - dropped, eligible);
  if (from_table > 0) {
    removals.push_back({from_table, mark, user_table::newest});
    if (removals.size() == 1)
      continue_removal();
  }
  notify_if_idle();
  return dropped + from_table;
}

void user_supervisor_state::continue_removal() {
  if (removals.empty())
    return;
  // Batches let ending users free their memory while later exits are sent,
  // and keep the supervisor responsive during a removal of millions.
  auto& job = removals.front();
  const auto reason =
    make_error(job.mark == user_table::mark::killed ? exit::forced_stop : exit::graceful_stop);
  const auto batch = std::min<std::uint64_t>(job.remaining, defaults::runtime::remove_batch);
  auto [taken, below] = users.take_newest(batch, job.mark, job.below,
                                          [&](const caf::actor& user) { stop_user(user, reason); });
  job.remaining -= taken;
  job.below = below;
  if (taken < batch || job.remaining == 0)
    removals.pop_front();
  if (!removals.empty())
    self->send(self, atom::remove_v);
}

// Only a message handler takes from the log, so a user that ends before the
// supervisor has recorded its spawn is booked after that: the handler that
// spawned it ends first.
void user_supervisor_state::book_ends() {
  if (!run)
    return;
  run->ends->take(ends_);
  for (const auto& e : ends_)
    book_end(e.aid, e.reason);
}

void user_supervisor_state::book_end(caf::actor_id aid, exit reason) {
  if (!users.remove(aid))
    return;
  ++ended[reason];
  if (user_metrics.running) {
    user_metrics.running->add(-1);
    auto& counter = user_metrics.ended_by(reason);
    if (!counter)
      counter = &registry->counter(std::string{"users.ended."} + to_string(reason));
    counter->add();
  }
  notify_if_idle();
}

void user_supervisor_state::notify_if_idle() {
  if (run && users.empty() && pending.empty() && listener)
    self->send(listener, atom::idle_v);
}

caf::error user_supervisor_state::finish() {
  if (!run)
    return {};
  if (!users.empty() || !pending.empty())
    return make_error(ec::wrong_state, "users are still running on this node");
  try {
    shaping_node::scope in{run->shaping.get()};
    run->instance->terminate();
  } catch (const std::exception& e) {
    log::line(log::level::error, "terminate: ") << e.what();
  }
  stop_shaping(self->system(), *run->shaping);
  run->wheel->disarm_own();
  run.reset();
  return {};
}

caf::error user_supervisor_state::update(const std::string& settings_json) {
  auto values = input::parse_json(settings_json, ec::invalid_argument);
  if (!values)
    return values.error();
  if (auto err = config::update(*store, *values, run != nullptr))
    return err;
  if (!run)
    return {};
  const auto settings = run_settings::from(*store);
  run->reload_settings(settings);
  pending.set_interarrival(settings.interarrival, self->clock().now());
  // A tick already scheduled for the old pace may be far off: look again now.
  tick_scheduled = false;
  spawn_due();
  return {};
}

user_counts user_supervisor_state::counts() const {
  user_counts result;
  result.pending = pending.size();
  result.started = started;
  result.ended = ended;
  if (run) {
    // Clamp: a user's counter moves are not atomic as a group.
    auto load = [](const std::atomic<std::int64_t>& c) {
      return static_cast<std::uint64_t>(std::max<std::int64_t>(0, c.load()));
    };
    result.running = load(run->running);
    result.waiting = load(run->waiting);
    result.stopping = load(run->stopping);
  }
  return result;
}

supervisor_api::behavior_type user_supervisor(user_supervisor_actor self, config::store* store,
                                              metrics::registry* registry, control_api listener,
                                              std::shared_ptr<shipped_users> shipped) {
  self->state.store = store;
  self->state.shipped = std::move(shipped);
  self->state.registry = registry;
  self->state.listener = std::move(listener);
  return {
    [self](atom::start, const std::string& scenario, id_range ids) -> caf::result<caf::ok_atom> {
      if (auto err = self->state.start(scenario, ids))
        return err;
      return caf::ok_atom::value;
    },
    [self](atom::add, id_range ids) -> caf::result<caf::ok_atom> {
      if (auto err = self->state.add(ids))
        return err;
      return caf::ok_atom::value;
    },
    [self](atom::remove, std::uint64_t n, bool force) { return self->state.remove(n, force); },
    [self](atom::remove) { self->state.continue_removal(); },
    [self](atom::spawn) {
      self->state.tick_scheduled = false;
      self->state.spawn_due();
    },
    [self](atom::ended) { self->state.book_ends(); },
    [self](atom::update, const std::string& settings) -> caf::result<caf::ok_atom> {
      if (auto err = self->state.update(settings))
        return err;
      return caf::ok_atom::value;
    },
    [self](atom::status) { return self->state.counts(); },
    [self](atom::stop) -> caf::result<user_counts> {
      if (auto err = self->state.finish())
        return err;
      return self->state.counts();
    },
  };
}

}  // namespace amoc::detail
