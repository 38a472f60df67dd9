// amoc node --listen HOST:PORT: a worker node for distributed runs.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

#include "amoc/crash_guard.hpp"
#include "amoc/error.hpp"
#include "amoc/worker_node.hpp"
#include "cli_config.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace amoc::cli {

namespace {

std::atomic<bool> stop_requested{false};

void on_stop(int) { stop_requested = true; }

struct node_args {
  worker_node::options opts;
  std::optional<std::string> config_file;
};

// "HOST:PORT" into the options; false (with a message) when malformed.
bool parse_listen(const std::string& text, worker_node::options& opts) {
  const auto colon = text.rfind(':');
  unsigned long port = 0;
  try {
    if (colon != std::string::npos && colon > 0)
      port = std::stoul(text.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (colon == std::string::npos || colon == 0 || port > 65535) {
    std::fprintf(stderr, "amoc node: --listen needs HOST:PORT, got '%s'\n", text.c_str());
    return false;
  }
  opts.host = text.substr(0, colon);
  opts.port = static_cast<std::uint16_t>(port);
  return true;
}

std::optional<node_args> parse_args(const arguments& args) {
  node_args parsed;
  auto& opts = parsed.opts;
  if (!parse_listen(*args.value("--listen"), opts))
    return std::nullopt;
  opts.name = args.value("--name").value_or("");
  parsed.config_file = args.value("--config");
  opts.security.cert = args.value("--cert").value_or("");
  opts.security.key = args.value("--key").value_or("");
  opts.security.ca = args.value("--ca").value_or("");
  opts.security.insecure = args.has("--insecure");
  return parsed;
}

}  // namespace

namespace {

// One life of the node, in the guarded child process.
int serve(worker_node::options opts) {
  // A node its guard restarts listens where the crashed one did (port 0 picked one).
  if (opts.port == 0)
    if (const auto port = crash::note_from_previous(); !port.empty())
      opts.port = static_cast<std::uint16_t>(std::stoul(port));
  auto node = worker_node::start(opts);
  if (!node)
    return fail("node", node.error());
  crash::note_for_restart(std::to_string((*node)->port()));
  std::signal(SIGINT, on_stop);
  std::signal(SIGTERM, on_stop);
  std::fprintf(stderr, "amoc node %s listening on %s:%u (%s)\n", (*node)->name().c_str(),
               opts.host.c_str(), static_cast<unsigned>((*node)->port()),
               opts.security.insecure ? "insecure: plain TCP" : "mutual TLS");
  std::fflush(stderr);
  while (!stop_requested)
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  std::fprintf(stderr, "amoc node %s: stopping\n", (*node)->name().c_str());
  return success;
}

// Restarts after a crash, as Erlang's heart does, at most this often a minute.
constexpr int restarts_per_minute = 5;

}  // namespace

int cmd_node(const arguments& args) {
  auto parsed = parse_args(args);
  if (!parsed)
    return bad_input;
  warn_unknown_environment();
  if (parsed->config_file)
    if (auto err = load_config_file(config::global(), *parsed->config_file))
      return fail("node", err);
  const auto threads = checked_node_threads(config::global());
  if (!threads)
    return fail("node", threads.error());
  parsed->opts.threads = *threads;
  const auto end = crash::run_restarting(
    [&] { return serve(parsed->opts); }, restarts_per_minute,
    [](const crash::report& r) {
      std::fprintf(stderr, "amoc node: the node crashed: %s; starting it again\n",
                   r.describe().c_str());
      std::fflush(stderr);
    });
  if (!end.crashed())
    return end.exit_code;
  std::fprintf(stderr, "amoc node: crashed more than %d times in a minute: giving up\n",
               restarts_per_minute);
  return crashed;
}

}  // namespace amoc::cli
