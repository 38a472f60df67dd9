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
#include "amoc/report_html.hpp"
#include "amoc/result_json.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"
#include "amoc/runtime.hpp"
#include "cli_config.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "output_file.hpp"
#include "progress.hpp"
#include "run_check.hpp"
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
  std::optional<std::string> out_file;
  std::optional<std::string> report_file;
  bool dry_run = false;  // check and print the plan, run nothing
};

run_options options_of(const arguments& args) {
  return {*args.positional("FILE"), args.value("--config"), args.value("--out"),
          args.value("--report"), args.has("--dry-run")};
}

int fail(const caf::error& err) { return cli::fail("run", err); }

bool write_output(const std::string& path, const std::string& text) {
  if (auto err = write_file(path, text)) {
    std::fprintf(stderr, "amoc run: %s\n", context_of(err).c_str());
    return false;
  }
  return true;
}

bool write_result(const std::string& path, const nlohmann::json& doc) {
  return write_output(path, doc.dump(2) + "\n");
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

int run_now(const run_options& opts, const run_file& run, const run_snapshot& snapshot);

}  // namespace

int cmd_run(const arguments& args) {
  const auto opts = options_of(args);
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
  // Before the run: a bad output path must not cost a whole load test.
  for (const auto& [option, path] :
       {std::pair{"--out", &opts.out_file}, std::pair{"--report", &opts.report_file}})
    if (*path)
      if (auto err = check_writable(option, **path))
        return fail(err);
  // The run goes on in a guarded child process: scenario code that crashes
  // it still leaves a report, a summary and a result.
  const run_snapshot snapshot;
  const auto end = crash::run_guarded([&] { return run_now(opts, *run, snapshot); });
  if (end.crashed())
    return snapshot.report_crash(end.crash, opts.out_file, opts.report_file);
  return end.exit_code;
}

namespace {

int run_now(const run_options& opts, const run_file& file, const run_snapshot& snapshot) {
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
      if (opts.out_file)
        write_result(*opts.out_file, failed);
      if (opts.report_file)
        write_output(*opts.report_file, html_report(failed));
      return fail(outcome.error());
    }
    result = std::move(*outcome);
  }
  std::fputs(summary(*run, *result).c_str(), stdout);
  const auto doc = to_json(*run, *result);
  if (opts.out_file && !write_result(*opts.out_file, doc))
    return run_failed;
  if (opts.report_file && !write_output(*opts.report_file, html_report(doc)))
    return run_failed;
  if (prometheus)
    linger(*prometheus, msettings->prometheus_linger);
  if (result->users_did_not_stop > 0) {
    // Their threads are still busy in scenario code: shutting the actor
    // system down would wait for them forever. The run is written; leave.
    std::fflush(nullptr);
    std::_Exit(users_did_not_stop);
  }
  return exit_code_of(*result);
}

}  // namespace

}  // namespace amoc::cli
