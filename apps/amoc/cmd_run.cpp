// amoc run FILE: a batch run from a run file, to completion.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include "amoc/config_file.hpp"
#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/run_file.hpp"
#include "amoc/runtime.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "progress.hpp"

namespace amoc::cli {

namespace {

struct run_options {
  std::string run_file;
  std::optional<std::string> config_file;
  std::optional<std::string> out_file;
};

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
    if (arg == "--config" || arg == "--out") {
      auto v = value();
      if (!v)
        return std::nullopt;
      (arg == "--config" ? opts.config_file : opts.out_file) = *v;
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
    std::fprintf(stderr, "usage: amoc run FILE [--config FILE] [--out FILE]\n");
    return std::nullopt;
  }
  return opts;
}

// An explicit --config must exist; the default file is optional.
caf::error load_config(config::store& store, const std::optional<std::string>& path) {
  if (path)
    return config::load_file(store, *path);
  if (std::filesystem::exists(defaults::cli::config_file))
    return config::load_file(store, defaults::cli::config_file);
  return {};
}

// Errors in what the user gave us exit 2; anything else is a failed run.
int exit_code_for(const caf::error& err) {
  if (err.category() != ec_category)
    return run_failed;
  switch (static_cast<ec>(err.code())) {
  case ec::missing_config:
  case ec::invalid_config:
  case ec::bad_config_file:
  case ec::bad_run_file:
  case ec::unknown_scenario:
  case ec::invalid_argument: return bad_input;
  default: return run_failed;
  }
}

int fail(const caf::error& err) {
  std::fprintf(stderr, "amoc run: %s\n", render(err).c_str());
  return exit_code_for(err);
}

bool write_result(const std::string& path, const nlohmann::json& doc) {
  std::ofstream out{path};
  out << doc.dump(2) << "\n";
  if (out)
    return true;
  std::fprintf(stderr, "amoc run: cannot write %s\n", path.c_str());
  return false;
}

// Counted by the signal handler: 1 = stop gracefully, 2 = stop by force.
std::atomic<int> interrupts{0};
static_assert(std::atomic<int>::is_always_lock_free, "used from a signal handler");

void on_interrupt(int) { interrupts.fetch_add(1); }

}  // namespace

int cmd_run(std::span<const std::string> args) {
  auto opts = parse_args(args);
  if (!opts)
    return bad_input;
  auto run = load_run_file(opts->run_file);
  if (!run)
    return fail(run.error());
  runtime rt;
  if (auto err = load_config(rt.settings(), opts->config_file))
    return fail(err);
  std::optional<run_result> result;
  {
    progress_printer progress{stderr};
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    auto outcome =
      execute(rt, *run, std::ref(progress), defaults::cli::progress_interval, &interrupts);
    if (!outcome) {
      // The result file says why, too: scripts read it rather than stderr.
      if (opts->out_file)
        write_result(
          *opts->out_file,
          {{"scenario", run->scenario}, {"state", "error"}, {"error", render(outcome.error())}});
      return fail(outcome.error());
    }
    result = std::move(*outcome);
  }
  std::fputs(summary(*run, *result).c_str(), stdout);
  if (opts->out_file && !write_result(*opts->out_file, to_json(*run, *result)))
    return run_failed;
  if (result->final_status.state == run_state::error)
    return run_failed;
  return result->interrupted ? exit_code::interrupted : success;
}

}  // namespace amoc::cli
