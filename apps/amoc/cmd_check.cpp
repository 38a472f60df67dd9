// amoc check FILE: everything a run of FILE would refuse, without running it.

#include <cstdio>

#include "amoc/config.hpp"
#include "amoc/error.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "run_check.hpp"

namespace amoc::cli {

int cmd_check(const arguments& args) {
  const auto path = *args.positional("FILE");
  auto& store = config::global();
  auto checked = check_run(path, store, {args.value("--config"), true, true, true});
  if (!checked.problems.empty())
    return report_problems("check", path, checked.problems);
  const auto& run = *checked.run;
  // The plan's own checks (pace, ids) need the settings the run would see.
  try {
    (void)dry_run(run, store);
  } catch (const config::error& e) {
    return report_problems("check", path, {{e.key(), make_error(ec::invalid_config, e.what())}});
  }
  std::printf(
    "%s: valid: scenario %s, users %llu..%llu, %zu setting(s), %zu threshold(s)%s\n", path.c_str(),
    run.scenario.c_str(), static_cast<unsigned long long>(run.first_id),
    static_cast<unsigned long long>(run.last_id), run.settings.size(), run.thresholds.size(),
    run.nodes.empty() ? "" : (", " + std::to_string(run.nodes.size()) + " node(s)").c_str());
  return success;
}

}  // namespace amoc::cli
