#pragma once

/// The console's command interpreter: one text line in, output text out. It
/// owns the node's runtimes; errors become output, never exceptions, so a
/// typo cannot take a node down.
///
/// Local and distributed runs coexist: the local runtime (this process runs
/// the users) exists from the start; the master runtime for `dist` commands is
/// created on first use, connecting to --nodes (or the `nodes` setting).

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "amoc/config.hpp"
#include "amoc/link_security.hpp"
#include "amoc/run_file.hpp"
#include "amoc/runtime.hpp"
#include "console/command.hpp"
#include "progress.hpp"

namespace amoc::console {

/// Where `dist` commands run users.
struct dist_options {
  std::vector<std::string> nodes;  ///< --nodes; empty: the `nodes` setting
  link_security security;          ///< used when `security_given`, else from the settings
  bool security_given = false;
};

/// One console: a terminal, or a client attached to a background node.
struct session {
  bool attached = false;              ///< `quit` detaches instead of stopping the run
  std::atomic<bool> progress{false};  ///< wants progress lines (read by the ticker)
};

struct reply {
  std::string text;
  bool leave = false;  ///< the session ends (quit)
};

/// `local do` / `dist do` as a run value (amoc/run_file.hpp); errors name a
/// bad --duration.
[[nodiscard]] caf::expected<run_file> run_of_command(const command& cmd);

class interpreter {
public:
  interpreter(config::store& store, dist_options dist);
  ~interpreter();
  interpreter(const interpreter&) = delete;
  interpreter& operator=(const interpreter&) = delete;

  /// Runs one line; thread-safe (sessions of one node take turns).
  [[nodiscard]] reply execute(std::string_view line, session& s);

  /// One line per active run (users, rates, failures), for `progress on`.
  [[nodiscard]] std::vector<std::string> progress_lines();

  /// "stopping 10 users" (or "no users running"): what leaving would do.
  [[nodiscard]] std::string leave_notice();
  /// Stops every run: gracefully, by force after `timeout`.
  void stop_runs(duration timeout);

  /// The runtime a REST gateway beside the console drives: the master when
  /// worker nodes are configured (created now), else the local runtime.
  [[nodiscard]] caf::expected<runtime*> gateway_runtime();

  /// Scenario names, for completion.
  [[nodiscard]] static std::vector<std::string> scenarios();

private:
  // One runtime with what the console tracks about its run.
  struct tracked {
    std::unique_ptr<runtime> rt;
    std::chrono::steady_clock::time_point started{};
    cli::rate_meter rates;
  };

  [[nodiscard]] std::string run(const command& cmd, session& s);
  [[nodiscard]] std::string run_users(const command& cmd);
  // run_commands.cpp: runs handed to the runtime's executor.
  [[nodiscard]] caf::error launch(tracked& t, const run_file& run);
  [[nodiscard]] std::string run_file_command(const command& cmd);
  [[nodiscard]] std::string result_text(const std::string& out_file);
  [[nodiscard]] std::string status_text();
  [[nodiscard]] std::string nodes_text();
  [[nodiscard]] std::string config_get(const command& cmd);
  [[nodiscard]] std::string config_set(const command& cmd);
  [[nodiscard]] std::string users_to_stop();
  /// The runtimes with a running (or terminating) run, with its status.
  [[nodiscard]] std::vector<std::pair<tracked*, status>> active_runs();
  /// The master runtime, created (connecting to the nodes) on first use.
  [[nodiscard]] caf::expected<runtime*> dist_runtime();

  std::mutex mutex_;
  config::store& store_;
  dist_options dist_options_;
  tracked local_;
  tracked dist_;
};

}  // namespace amoc::console
