// amoc start: a node in the background (the original's `bin/amoc start`).
// `amoc start` re-executes itself as `amoc start --foreground` in a new
// session with its output in the log file, then waits until the node accepts
// consoles, so a bad config is reported here and not only in the log.

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/log.hpp"
#include "cli_config.hpp"
#include "commands.hpp"
#include "console/console_options.hpp"
#include "console/control_client.hpp"
#include "console/control_server.hpp"
#include "console/paths.hpp"
#include "console/pid_file.hpp"
#include "console/text.hpp"
#include "console/ticker.hpp"
#include "exit_codes.hpp"
#include "rest_option.hpp"

namespace amoc::cli {

namespace {

using namespace std::chrono_literals;

std::atomic<bool> stop_requested{false};

void on_stop_signal(int) { stop_requested = true; }

int fail(const caf::error& err) { return cli::fail("start", err); }

// The node itself: pid file, control socket, log lines to the log and to
// attached consoles, until `amoc stop` or SIGTERM.
int serve(const console::console_options& opts) {
  if (auto err = console::ensure_private_dir(console::run_dir()))
    return fail(err);
  auto pid = console::pid_file::acquire(console::pid_path());
  if (!pid)
    return fail(pid.error());
  load_plugins_at_start();
  auto& store = config::global();
  if (auto err = load_config(store, opts.config_file))
    return fail(err);
  if (auto threads = checked_node_threads(store); !threads)
    return fail(threads.error());
  console::interpreter interp{store, opts.dist};
  std::unique_ptr<rest_gateway> rest;
  if (opts.rest) {
    auto gateway = start_rest("start", interp, store);
    if (!gateway)
      return fail(gateway.error());
    rest = std::move(*gateway);
  }
  auto server =
    console::control_server::start(console::socket_path(), interp, [] { stop_requested = true; });
  if (!server)
    return fail(server.error());
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGHUP, SIG_IGN);
  log::set_sink([&server](log::level lvl, std::string_view text) {
    const auto line = log::format_line(lvl, text);
    std::fputs(line.c_str(), stderr);
    (*server)->broadcast_log(line);
  });
  {
    console::ticker progress{defaults::cli::progress_interval, [&] {
                               if ((*server)->wants_progress())
                                 (*server)->publish_progress(interp.progress_lines());
                             }};
    log::write(log::level::info, "amoc node started (pid " + std::to_string(::getpid())
                                   + "), consoles attach at " + console::socket_path().string());
    while (!stop_requested)
      std::this_thread::sleep_for(100ms);
    log::write(log::level::info, "amoc node stopping: " + interp.leave_notice());
    rest.reset();
    interp.stop_runs(defaults::console::leave_timeout);
  }
  log::set_sink({});
  server->reset();
  std::fputs("amoc node stopped\n", stderr);
  return success;
}

std::string log_since(std::uintmax_t offset) {
  std::ifstream in{console::log_path()};
  in.seekg(static_cast<std::streamoff>(offset));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Starts `amoc start --foreground ARGS` detached and waits until it accepts consoles.
int start_background(std::span<const std::string> args) {
  if (const auto running = console::pid_file::holder(console::pid_path()))
    return fail(
      make_error(ec::wrong_state, "a node is already running (pid " + std::to_string(running)
                                    + "): 'amoc attach' opens its console, 'amoc stop' stops it"));
  if (auto err = console::ensure_private_dir(console::run_dir()))
    return fail(err);
  const auto log_file = console::log_path();
  const int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    return fail(make_error(ec::invalid_argument, "cannot open " + log_file.string()));
  const auto offset = static_cast<std::uintmax_t>(::lseek(log_fd, 0, SEEK_END));
  std::vector<std::string> argv_text{"amoc", "start", "--foreground"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  const pid_t child = ::fork();
  if (child == 0) {
    ::setsid();  // no controlling terminal: closing it does not stop the node
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& a : argv_text)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  ::close(log_fd);
  const auto deadline = std::chrono::steady_clock::now() + defaults::console::start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(child, &status, WNOHANG) == child) {
      std::fprintf(stderr, "amoc start: the node exited at once:\n%s", log_since(offset).c_str());
      return WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : run_failed;
    }
    if (console::control_client::connect(console::socket_path())) {
      std::printf("amoc node started (pid %d)\n  log:    %s\n  attach: amoc attach\n"
                  "  stop:   amoc stop\n",
                  static_cast<int>(child), log_file.c_str());
      return success;
    }
    std::this_thread::sleep_for(50ms);
  }
  return fail(make_error(ec::timeout, "the node (pid " + std::to_string(child)
                                        + ") did not open its console socket; see "
                                        + log_file.string()));
}

}  // namespace

int cmd_start(const arguments& args) {
  const auto opts = console_options_of(args);
  // The node runs in a child, `amoc start --foreground` with the same words.
  return opts.foreground ? serve(opts) : start_background(args.words());
}

}  // namespace amoc::cli
