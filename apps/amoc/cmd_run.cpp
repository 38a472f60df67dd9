// amoc run FILE: a batch run from a run file, to completion.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "amoc/config_file.hpp"
#include "amoc/crash_guard.hpp"
#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/execute.hpp"
#include "amoc/graphite.hpp"
#include "amoc/metrics_settings.hpp"
#include "amoc/prometheus.hpp"
#include "amoc/result_json.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"
#include "amoc/runtime.hpp"
#include "cli_config.hpp"
#include "commands.hpp"
#include "comparing.hpp"
#include "exit_codes.hpp"
#include "progress.hpp"
#include "run_outputs.hpp"
#include "run_snapshot.hpp"
#include "summary.hpp"

namespace amoc::cli {

namespace {

// The run's metrics as a master merges them from its nodes, or this node's;
// empty while they cannot be had (a node is being asked and goes down).
std::function<metrics::snapshot()> metrics_of(runtime& rt) {
  return [&rt] {
    auto s = rt.metrics_snapshot();
    return s ? std::move(*s) : metrics::snapshot{};
  };
}

struct run_options {
  std::string run_file;
  std::optional<std::string> config_file;
  run_outputs outputs;
  std::optional<std::string> baseline_file;  // compare with it at the end
  std::vector<std::string> rules;            // --fail-if, judged against the baseline
  bool dry_run = false;                      // print the plan, run nothing
};

constexpr const char* run_usage =
  "usage: amoc run FILE [--config FILE] [--out FILE] [--report FILE.html] [--junit FILE.xml]\n"
  "                [--csv FILE] [--baseline BASE.json [--fail-if RULE]...] [--dry-run]\n";

std::optional<run_options> parse_args(std::span<const std::string> args) {
  run_options opts;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 < args.size())
        return args[++i];
      std::fprintf(stderr, "amoc run: %s needs a value\n", arg.c_str());
      return std::nullopt;
    };
    if (arg == "--config" || arg == "--out" || arg == "--report" || arg == "--junit"
        || arg == "--csv" || arg == "--baseline" || arg == "--fail-if") {
      auto v = value();
      if (!v)
        return std::nullopt;
      if (arg == "--config")
        opts.config_file = *v;
      else if (arg == "--baseline")
        opts.baseline_file = *v;
      else if (arg == "--fail-if")
        opts.rules.push_back(*v);
      else
        opts.outputs.set(arg, *v);
    } else if (arg == "--dry-run") {
      opts.dry_run = true;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "amoc run: unknown option %s\n", arg.c_str());
      return std::nullopt;
    } else if (opts.run_file.empty()) {
      opts.run_file = arg;
    } else {
      std::fprintf(stderr, "amoc run: unexpected argument %s\n", arg.c_str());
      return std::nullopt;
    }
  }
  if (opts.run_file.empty()) {
    std::fputs(run_usage, stderr);
    return std::nullopt;
  }
  if (!opts.rules.empty() && !opts.baseline_file) {
    std::fprintf(stderr,
                 "amoc run: --fail-if compares with a baseline: add --baseline BASE.json\n");
    return std::nullopt;
  }
  return opts;
}

int fail(const caf::error& err) { return cli::fail("run", err); }

// The baseline of --baseline and its rules, read and checked before the run.
struct baseline {
  std::string path;
  nlohmann::json doc;
  std::vector<comparison::rule> rules;
};

caf::expected<baseline> load_baseline(const run_options& opts, const run_file& run) {
  auto doc = read_result(*opts.baseline_file);
  if (!doc)
    return doc.error();
  const auto scenario = doc->value("scenario", std::string{});
  if (scenario != run.scenario)
    return make_error(ec::invalid_argument, "--baseline " + *opts.baseline_file + " ran scenario \""
                                              + scenario + "\", " + opts.run_file + " runs \""
                                              + run.scenario + "\"");
  auto rules = parse_rules(opts.rules);
  if (!rules)
    return rules.error();
  // Rules on names or statistics the baseline lacks fail now, not after the run.
  if (auto judged = comparison::judge(*rules, *doc, *doc); !judged)
    return make_error(ec::invalid_argument, "--fail-if (against --baseline " + *opts.baseline_file
                                              + "): " + context_of(judged.error()));
  return baseline{*opts.baseline_file, std::move(*doc), std::move(*rules)};
}

// Graphite is best effort: a failing carbon is reported once per kind of
// failure, never fails the run.
class graphite_hooks {
public:
  graphite_hooks(const metrics_settings& s, std::string scenario)
      : reporter_({s.graphite_host, s.graphite_port, s.graphite_prefix, s.graphite_events_url,
                   defaults::metrics::graphite_timeout}),
        scenario_(std::move(scenario)) {}

  void sample(const metrics::interval& i) { complain(reporter_.report(i)); }
  void event(std::string_view what) {
    const auto name = what == "start" ? "run_started" : "run_stopped";
    complain(reporter_.annotate(name, "amoc run " + std::string{what} + ": scenario " + scenario_));
  }

private:
  void complain(const caf::error& err) {
    if (!err)
      return;
    auto text = render(err);
    if (text == last_complaint_)
      return;
    std::fprintf(stderr, "\namoc run: %s\n", text.c_str());
    last_complaint_ = std::move(text);
  }

  metrics::graphite_reporter reporter_;
  std::string scenario_;
  std::string last_complaint_;
};

int exit_code_of(const run_result& result) {
  if (result.final_status.state == run_state::error)
    return run_failed;
  if (result.users_did_not_stop > 0)
    return users_did_not_stop;
  // Users lost with their nodes make the run's numbers incomplete: that
  // outranks the thresholds' verdict on them.
  if (result.users_lost() > 0)
    return nodes_lost;
  // A crossed threshold is the run's verdict, also when it was interrupted.
  if (result.thresholds_crossed())
    return thresholds_crossed;
  return result.interrupted ? exit_code::interrupted : success;
}

// Counted by the signal handler: 1 = stop gracefully, 2 = stop by force.
std::atomic<int> interrupts{0};
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");

void on_interrupt(int) { interrupts.fetch_add(1); }

int run_now(const run_options& opts, const run_file& run, const run_snapshot& snapshot,
            const std::optional<baseline>& base);

}  // namespace

int cmd_run(std::span<const std::string> args) {
  auto opts = parse_args(args);
  if (!opts)
    return bad_input;
  auto run = load_run_file(opts->run_file);
  if (!run)
    return fail(run.error());
  if (auto err = check_run_settings(*run, opts->run_file))
    return fail(err);
  auto& store = config::global();
  if (auto err = load_config(store, opts->config_file))
    return fail(err);
  apply_settings(store, *run);
  if (opts->dry_run) {
    try {
      std::fputs(dry_run(*run, store).c_str(), stdout);
    } catch (const config::error& e) {
      return fail(make_error(ec::invalid_config, e.what()));
    }
    return success;
  }
  // Before the run: a bad output path or baseline must not cost a whole load test.
  if (auto err = opts->outputs.check_writable())
    return fail(err);
  std::optional<baseline> base;
  if (opts->baseline_file) {
    auto loaded = load_baseline(*opts, *run);
    if (!loaded)
      return fail(loaded.error());
    base = std::move(*loaded);
  }
  // The run goes on in a guarded child process: scenario code that crashes
  // it still leaves a report, a summary and a result.
  const run_snapshot snapshot;
  const auto end = crash::run_guarded([&] { return run_now(*opts, *run, snapshot, base); });
  if (end.crashed())
    return snapshot.report_crash(end.crash,
                                 [&](const nlohmann::json& doc) { opts->outputs.write(doc); });
  return end.exit_code;
}

namespace {

// Compares the result with the baseline (printing the table): its verdict
// joins the run's, as the thresholds' does; `cases` gets the rules for JUnit.
int judge_against(const baseline& base, const nlohmann::json& doc, int code,
                  std::vector<junit_case>& cases) {
  std::fputs("\n", stdout);
  auto verdicts =
    compare_and_print(stdout, "run", base.doc, base.path, doc, "this run", base.rules);
  if (!verdicts) {
    fail(verdicts.error());
    return code == success ? bad_input : code;
  }
  cases = junit_cases(*verdicts, base.path);
  const bool verdict_stands = code == success || code == exit_code::interrupted;
  return any_crossed(*verdicts) && verdict_stands ? thresholds_crossed : code;
}

int run_now(const run_options& opts, const run_file& file, const run_snapshot& snapshot,
            const std::optional<baseline>& base) {
  const auto* run = &file;
  auto& store = config::global();
  auto where = master_options(store, run->nodes, std::nullopt);
  if (!where)
    return fail(where.error());
  runtime rt{*where};
  auto msettings = metrics_settings::from(rt.settings());
  if (!msettings)
    return fail(msettings.error());
  std::unique_ptr<metrics::prometheus_exporter> prometheus;
  if (msettings->prometheus_port != 0) {
    auto exporter = metrics::prometheus_exporter::start(metrics_of(rt), msettings->prometheus_port);
    if (!exporter)
      return fail(exporter.error());
    prometheus = std::move(*exporter);
  }
  std::optional<graphite_hooks> graphite;
  if (!msettings->graphite_host.empty())
    graphite.emplace(*msettings, run->comment.empty() ? run->scenario
                                                      : run->scenario + " (" + run->comment + ")");
  std::optional<run_result> result;
  {
    progress_printer progress{stderr, metrics_of(rt)};
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    execute_options exec;
    exec.progress = [&](const status& st, duration elapsed) {
      progress(st, elapsed);
      // What the guard reports if the run crashes: the executor's result so far.
      if (auto record = rt.last_execution())
        snapshot.keep(*run, record->result());
    };
    exec.progress_interval = defaults::cli::progress_interval;
    exec.metrics_interval = msettings->interval;
    exec.interrupts = &interrupts;
    if (graphite) {
      exec.on_sample = [&](const metrics::interval& i) { graphite->sample(i); };
      exec.on_event = [&](std::string_view what) { graphite->event(what); };
    }
    auto outcome = execute(rt, *run, exec);
    if (!outcome) {
      // The result file and report say why, too: scripts read them rather than stderr.
      const nlohmann::json failed{
        {"scenario", run->scenario}, {"state", "error"}, {"error", render(outcome.error())}};
      opts.outputs.write(failed);
      return fail(outcome.error());
    }
    result = std::move(*outcome);
  }
  std::fputs(summary(*run, *result).c_str(), stdout);
  const auto doc = to_json(*run, *result);
  auto code = exit_code_of(*result);
  std::vector<junit_case> rule_cases;
  if (base)
    code = judge_against(*base, doc, code, rule_cases);
  if (!opts.outputs.write(doc, rule_cases))
    return run_failed;
  if (result->users_did_not_stop > 0) {
    // Their threads are still busy in scenario code: shutting the actor
    // system down would wait for them forever. The run is written; leave.
    std::fflush(nullptr);
    std::_Exit(users_did_not_stop);
  }
  return code;
}

}  // namespace

}  // namespace amoc::cli
