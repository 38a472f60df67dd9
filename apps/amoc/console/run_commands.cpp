// Console runs go through the runtime's executor, as `amoc run` does: a
// `--duration` ends them, `run FILE` follows a run file's stages and
// thresholds, `result` shows what the executor recorded.

#include <cerrno>
#include <cstring>
#include <fstream>

#include "amoc/error.hpp"
#include "amoc/execution.hpp"
#include "amoc/result_json.hpp"
#include "console/interpreter.hpp"
#include "console/text.hpp"

namespace amoc::console {

namespace {

caf::error read_duration(const std::string& text, const char* option,
                         std::optional<duration>& out) {
  if (text.empty())
    return {};
  auto parsed = config::convert_to(config::type::duration, text);
  if (!parsed || parsed->get<std::int64_t>() <= 0)
    return make_error(ec::invalid_argument, std::string{option}
                                              + " must be a positive duration such as 30s or "
                                                "5m, got '"
                                              + text + "'");
  out = duration{parsed->get<std::int64_t>()};
  return {};
}

std::string thresholds_text(const run_result& r) {
  std::string text;
  for (const auto& t : r.thresholds)
    text += std::string{"  "} + (t.passed ? "pass " : "FAIL ") + t.criterion.metric + " "
            + t.criterion.expression + " (" + t.describe() + ")\n";
  return text;
}

std::string result_of(const char* label, const execution& e) {
  const auto r = e.result();
  const auto& u = r.final_status.users;
  std::string text =
    std::string{label} + ": " + e.run().scenario + " "
    + (e.done() ? to_string(r.final_status.state) : "running (so far)") + ", "
    + std::to_string(u.started) + " users started, " + std::to_string(u.ended_total()) + " ended, "
    + to_string(std::chrono::duration_cast<std::chrono::milliseconds>(r.wall_time)) + "\n";
  if (!r.thresholds.empty())
    text += thresholds_text(r);
  return text;
}

}  // namespace

caf::expected<run_file> run_of_command(const command& cmd) {
  run_file run;
  run.scenario = cmd.scenario;
  run.first_id = cmd.first;
  run.last_id = cmd.last;
  run.comment = cmd.comment;
  run.on_nodes = cmd.nodes;
  if (auto err = read_duration(cmd.duration, "--duration", run.max_duration))
    return err;
  std::optional<duration> grace;
  if (auto err = read_duration(cmd.graceful_stop_timeout, "--graceful-stop-timeout", grace))
    return err;
  if (grace)
    run.graceful_stop_timeout = *grace;
  return run;
}

caf::error interpreter::launch(tracked& t, const run_file& run) {
  auto launched = t.rt->launch(run);
  if (!launched)
    return launched.error();
  t.started = std::chrono::steady_clock::now();
  t.rates = {};
  return {};
}

std::string interpreter::run_file_command(const command& cmd) {
  auto run = load_run_file(cmd.path);
  if (!run)
    return "error: " + message_of(run.error());
  const bool dist = !run->nodes.empty();
  if (dist) {
    if (auto rt = dist_runtime(); !rt)
      return "error: " + message_of(rt.error());
  }
  if (auto err = launch(dist ? dist_ : local_, *run))
    return "error: " + message_of(err);
  return std::string{dist ? "dist" : "local"} + ": running " + cmd.path + " (" + run->scenario
         + ", users " + std::to_string(run->first_id) + ".." + std::to_string(run->last_id)
         + (run->max_duration ? ", for " + to_string(*run->max_duration) : std::string{})
         + "); `result` shows how it goes";
}

std::string interpreter::result_text(const std::string& out_file) {
  std::string text;
  std::shared_ptr<execution> latest;
  for (auto* t : {&local_, &dist_})
    if (t->rt)
      if (auto e = t->rt->last_execution()) {
        text += result_of(t == &local_ ? "local" : "dist", *e);
        latest = e;
      }
  if (!latest)
    return "no run was started yet";
  if (out_file.empty())
    return text;
  std::ofstream out{out_file};
  out << to_json(latest->run(), latest->result()).dump(2) << "\n";
  if (!out.flush())
    return text + "error: cannot write " + out_file + ": " + std::strerror(errno);
  return text + "result written to " + out_file;
}

}  // namespace amoc::console
