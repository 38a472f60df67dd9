// amoc run FILE: a batch run from a run file, to completion.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>

#include "amoc/config_file.hpp"
#include "amoc/crash_guard.hpp"
#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/execute.hpp"
#include "amoc/graphite.hpp"
#include "amoc/metrics_settings.hpp"
#include "amoc/prometheus.hpp"
#include "amoc/prometheus_source.hpp"
#include "amoc/result_json.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"
#include "amoc/runtime.hpp"
#include "cli_config.hpp"
#include "commands.hpp"
#include "comparing.hpp"
#include "exit_codes.hpp"
#include "progress.hpp"
#include "run_check.hpp"
#include "run_outputs.hpp"
#include "run_snapshot.hpp"
#include "summary.hpp"

namespace amoc::cli {

namespace {

// The run's counters for the progress line, as a master merges them from
// its nodes, or this node's; empty while they cannot be had (a node is being
// asked and goes down).
std::function<metrics::snapshot()> counters_of(runtime& rt) {
  return [&rt] {
    auto s = rt.counters_snapshot();
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

run_options options_of(const arguments& args) {
  run_options opts{*args.positional("FILE"), args.value("--config"),   {},
                   args.value("--baseline"), args.values("--fail-if"), args.has("--dry-run")};
  for (const char* option : {"--out", "--report", "--junit", "--csv"})
    if (auto path = args.value(option))
      opts.outputs.set(option, *path);
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

// Keeps /metrics up after the run so the next scrape sees the final values;
// an interrupt ends the wait.
void linger(const metrics::prometheus_exporter& exporter, duration how_long) {
  if (how_long <= duration::zero())
    return;
  std::fprintf(stderr, "amoc: /metrics stays up on 127.0.0.1:%u for %s (prometheus_linger)\n",
               static_cast<unsigned>(exporter.port()), to_string(how_long).c_str());
  const auto interrupted = interrupts.load();
  const auto until = std::chrono::steady_clock::now() + how_long;
  while (interrupts.load() == interrupted && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(
      std::min<duration>(until - std::chrono::steady_clock::now(), std::chrono::milliseconds{50}));
}

int run_now(const run_options& opts, const run_file& run, const run_snapshot& snapshot,
            const std::optional<baseline>& base);

}  // namespace

int cmd_run(const arguments& args) {
  const auto opts = options_of(args);
  if (!opts.rules.empty() && !opts.baseline_file)
    return fail(make_error(ec::invalid_argument,
                           "--fail-if compares with a baseline: add --baseline BASE.json"));
  auto& store = config::global();
  // What a dry run promises, it checks as `amoc check` does (metric names too).
  auto checked =
    check_run(opts.run_file, store, {opts.config_file, opts.dry_run, false, opts.dry_run});
  if (!checked.problems.empty())
    return report_problems("run", opts.run_file, checked.problems);
  const auto run = std::move(checked.run);
  if (opts.dry_run) {
    try {
      std::fputs(dry_run(*run, store).c_str(), stdout);
    } catch (const config::error& e) {
      return fail(make_error(ec::invalid_config, e.what()));
    }
    return success;
  }
  // Before the run: a bad output path or baseline must not cost a whole load test.
  if (auto err = opts.outputs.check_writable())
    return fail(err);
  std::optional<baseline> base;
  if (opts.baseline_file) {
    auto loaded = load_baseline(opts, *run);
    if (!loaded)
      return fail(loaded.error());
    base = std::move(*loaded);
  }
  // The run goes on in a guarded child process: scenario code that crashes
  // it still leaves a report, a summary and a result.
  const run_snapshot snapshot;
  const auto end = crash::run_guarded([&] { return run_now(opts, *run, snapshot, base); });
  if (end.crashed())
    return snapshot.report_crash(end.crash,
                                 [&](const nlohmann::json& doc) { opts.outputs.write(doc); });
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
    auto exporter =
      metrics::prometheus_exporter::start(prometheus_source(rt), msettings->prometheus_port);
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
    progress_printer progress{stderr, counters_of(rt)};
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
  if (prometheus)
    linger(*prometheus, msettings->prometheus_linger);
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
