// amoc compare BASE.json NEW.json: two runs side by side, regression rules,
// a report with both on the same charts.

#include <cstdio>
#include <optional>

#include "amoc/compare_report.hpp"
#include "amoc/error.hpp"
#include "commands.hpp"
#include "comparing.hpp"
#include "exit_codes.hpp"
#include "output_file.hpp"

namespace amoc::cli {

namespace {

int fail(const caf::error& err) { return cli::fail("compare", err); }

}  // namespace

int cmd_compare(const arguments& args) {
  auto rules = parse_rules(args.values("--fail-if"));
  if (!rules)
    return fail(rules.error());
  const auto report = args.value("--report");
  if (report)
    if (auto err = check_writable("--report", *report))
      return fail(err);
  const auto base_name = *args.positional("BASE");
  const auto new_name = *args.positional("NEW");
  auto base = read_result(base_name);
  if (!base)
    return fail(base.error());
  auto now = read_result(new_name);
  if (!now)
    return fail(now.error());
  auto verdicts = compare_and_print(stdout, "compare", *base, base_name, *now, new_name, *rules);
  if (!verdicts)
    return fail(verdicts.error());
  if (report)
    if (auto err =
          write_file(*report, html_comparison(*base, *now, *verdicts, base_name, new_name)))
      return cli::fail("compare", make_error(ec::unspecified, context_of(err)));
  return any_crossed(*verdicts) ? thresholds_crossed : success;
}

}  // namespace amoc::cli
