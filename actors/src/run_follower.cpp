#include "run_follower.hpp"

#include <algorithm>
#include <cstdlib>

namespace amoc {

run_follower::run_follower(const run_file& run, std::unique_ptr<scenario_hooks> hooks,
                           bool distributed, clock_type::time_point started)
    : run_(run), hooks_(std::move(hooks)), distributed_(distributed), started_(started),
      last_progress_(started) {
  last_.state = run_state::running;
  last_.scenario = run.scenario;
  if (run.max_duration)
    deadline_ = started + *run.max_duration;
  if (!run.stages.empty()) {
    steps_ = run.stages.steps();
    next_id_ = run.first_id + static_cast<std::uint64_t>(steps_.front().delta);
    // A plan that ends with users left ends the run then, like a duration.
    if (run.stages.stages.back().ramp_to != std::optional<std::uint64_t>{0}) {
      const auto plan_end = started + run.stages.total();
      deadline_ = deadline_ ? std::min(*deadline_, plan_end) : plan_end;
    }
  } else {
    next_id_ = run.last_id + 1;
  }
}

void run_follower::step(std::optional<status> answer, int interrupts, clock_type::time_point now,
                        run_commands& commands) {
  if (answer)
    note(std::move(*answer), now);
  if (is_final(last_.state)) {
    phase_ = phase::ended;
    return;
  }
  switch (phase_) {
  case phase::running: {
    const bool due = deadline_ && now >= *deadline_;
    const auto hooks = due || interrupts > 0 ? scenario_hooks::due{} : hooks_->poll(now);
    if (due || interrupts > 0 || hooks.stop) {
      stop(interrupts, hooks.stop, commands);
      grace_until_ = now + run_.graceful_stop_timeout;
      return;
    }
    if (hooks.add > 0) {
      commands.add(hooks.add, rotation(next_id_));
      next_id_ += hooks.add;
    }
    follow_plan(now, commands);
    return;
  }
  case phase::stopping:
    if (now >= grace_until_ || interrupts > 1) {
      forced = true;
      commands.stop(true);
      phase_ = phase::forcing;
      last_progress_ = now;
    }
    return;
  case phase::forcing:
    // Users that go on without yielding cannot be killed: once none has
    // ended for a while (or at a third interrupt), the run ends without them.
    if (now - last_progress_ >= stall_limit || interrupts > 2)
      phase_ = phase::ended;
    return;
  case phase::ended: return;
  }
}

// Progress: an answer that shows users ending (or none left).
void run_follower::note(status answer, clock_type::time_point now) {
  const auto left = answer.users.alive() + answer.users.pending;
  if (!answered_ || left < users_left_ || left == 0)
    last_progress_ = now;
  answered_ = true;
  users_left_ = left;
  last_ = std::move(answer);
}

void run_follower::stop(int interrupts, bool scenario_asked, run_commands& commands) {
  interrupted = interrupts > 0;
  stopped_by_scenario = !interrupted && scenario_asked;
  stopped_by_duration = !interrupted && !stopped_by_scenario;
  // A run that ended on its own meanwhile refuses the stop; the next answer shows it.
  commands.stop(false);
  phase_ = phase::stopping;
}

void run_follower::follow_plan(clock_type::time_point now, run_commands& commands) {
  for (; next_step_ < steps_.size() && now >= started_ + steps_[next_step_].at; ++next_step_) {
    const auto& s = steps_[next_step_];
    const auto n = static_cast<std::uint64_t>(std::abs(s.delta));
    if (s.delta > 0) {
      commands.add(n, rotation(next_id_));
      next_id_ += n;
    } else {
      commands.remove(n);
    }
  }
}

// Node names in the order that continues the round-robin by id over adds:
// the master starts every batch at the first node it is given, so a batch
// whose first id is `next` gets the list rotated by (next - first) % nodes.
std::vector<std::string> run_follower::rotation(std::uint64_t next) const {
  std::vector<std::string> names;
  if (!distributed_)
    return names;
  for (const auto& n : last_.nodes)
    if (n.up)
      names.push_back(n.name);
  if (!names.empty())
    std::rotate(names.begin(),
                names.begin() + static_cast<std::ptrdiff_t>((next - run_.first_id) % names.size()),
                names.end());
  return names;
}

}  // namespace amoc
