#include "scenario_hooks.hpp"

#include <exception>
#include <string>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/log.hpp"

namespace amoc {

caf::expected<std::unique_ptr<scenario_hooks>>
scenario_hooks::make(config::store& settings, const run_file& run, clock_type::time_point now) {
  const auto* info = find_scenario(run.scenario);
  if (!info)
    return make_error(ec::unknown_scenario, run.scenario);
  auto hooks = std::make_unique<scenario_hooks>();
  try {
    hooks->instance_ = info->make();
    detail::scenario_access::bind(*hooks->instance_, settings, hooks->metrics_);
    hooks->check_every_ = settings.get<duration>(
      "scenario_checking_interval", duration{defaults::settings::scenario_checking_interval});
    hooks->batch_every_ = settings.get<duration>("add_batch_interval",
                                                 duration{defaults::settings::add_batch_interval});
  } catch (const std::exception& e) {
    return make_error(ec::invalid_config, e.what());
  }
  hooks->next_check_ = now + hooks->check_every_;
  hooks->next_batch_ = now + hooks->batch_every_;
  hooks->batches_left_ = run.batches;
  hooks->previous_ = run.last_id - run.first_id + 1;
  return hooks;
}

scenario_hooks::due scenario_hooks::poll(clock_type::time_point now) {
  if (stopped_)
    return {};
  try {
    if (now >= next_check_) {
      next_check_ = now + check_every_;
      if (!instance_->should_continue())
        return stop("the scenario's should_continue() said no");
    }
    if (batches_left_ > 0 && now >= next_batch_) {
      next_batch_ = now + batch_every_;
      --batches_left_;
      previous_ = instance_->next_user_batch(++batch_, previous_);
      if (previous_ == 0)
        batches_left_ = 0;
      return {false, previous_};
    }
  } catch (const std::exception& e) {
    return stop(std::string{"a scenario hook failed: "} + e.what());
  }
  return {};
}

scenario_hooks::due scenario_hooks::stop(const std::string& why) {
  stopped_ = true;
  log::line(log::level::info, "stopping the run: ") << why;
  return {true, 0};
}

}  // namespace amoc
