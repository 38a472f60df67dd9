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

constexpr const char* compare_usage =
  "usage: amoc compare BASE.json NEW.json [--fail-if RULE]... [--report FILE.html]\n";

struct compare_options {
  std::vector<std::string> files;
  std::vector<std::string> rules;
  std::optional<std::string> report;
};

std::optional<compare_options> parse_args(std::span<const std::string> args) {
  compare_options opts;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--fail-if" || arg == "--report") {
      if (i + 1 == args.size()) {
        std::fprintf(stderr, "amoc compare: %s needs a value\n", arg.c_str());
        return std::nullopt;
      }
      if (arg == "--fail-if")
        opts.rules.push_back(args[++i]);
      else
        opts.report = args[++i];
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "amoc compare: unknown option %s\n%s", arg.c_str(), compare_usage);
      return std::nullopt;
    } else {
      opts.files.push_back(arg);
    }
  }
  if (opts.files.size() != 2) {
    std::fprintf(stderr, "amoc compare: %s\n%s",
                 opts.files.size() < 2 ? "needs two result files (amoc run --out)"
                                       : "compares two result files, not more",
                 compare_usage);
    return std::nullopt;
  }
  return opts;
}

int fail(const caf::error& err) { return cli::fail("compare", err); }

}  // namespace

int cmd_compare(std::span<const std::string> args) {
  auto opts = parse_args(args);
  if (!opts)
    return bad_input;
  auto rules = parse_rules(opts->rules);
  if (!rules)
    return fail(rules.error());
  if (opts->report)
    if (auto err = check_writable("--report", *opts->report))
      return fail(err);
  const auto& base_name = opts->files[0];
  const auto& new_name = opts->files[1];
  auto base = read_result(base_name);
  if (!base)
    return fail(base.error());
  auto now = read_result(new_name);
  if (!now)
    return fail(now.error());
  auto verdicts = compare_and_print(stdout, "compare", *base, base_name, *now, new_name, *rules);
  if (!verdicts)
    return fail(verdicts.error());
  if (opts->report)
    if (auto err =
          write_file(*opts->report, html_comparison(*base, *now, *verdicts, base_name, new_name)))
      return cli::fail("compare", make_error(ec::unspecified, context_of(err)));
  return any_crossed(*verdicts) ? thresholds_crossed : success;
}

}  // namespace amoc::cli
