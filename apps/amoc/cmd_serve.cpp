// amoc serve: a node (or the master of worker nodes) controlled through the
// REST gateway and its dashboard, in the foreground until Ctrl-C.

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <thread>

#include "amoc/error.hpp"
#include "amoc/rest_gateway.hpp"
#include "amoc/runtime.hpp"
#include "cli_config.hpp"
#include "commands.hpp"
#include "console/console_options.hpp"
#include "exit_codes.hpp"

namespace amoc::cli {

namespace {

std::atomic<bool> stop_requested{false};

void on_stop(int) { stop_requested = true; }

struct serve_args {
  console::console_options common;  // --config, --nodes and the link options, as console's
  std::optional<std::string> port;
  std::optional<std::string> bind;
};

serve_args parse_args(const arguments& args) {
  return {console_options_of(args), args.value("--port"), args.value("--bind")};
}

int fail(const caf::error& err) { return cli::fail("serve", err); }

// --port and --bind win over rest_port and rest_bind wherever those are set.
caf::expected<rest_gateway::options> gateway_options(const serve_args& args,
                                                     const config::store& store) {
  auto opts = rest_gateway::options::from(store);
  if (!opts)
    return opts;
  if (args.bind)
    opts->bind = *args.bind;
  if (args.port) {
    unsigned port = 0;
    const auto* end = args.port->data() + args.port->size();
    const auto [at, err] = std::from_chars(args.port->data(), end, port);
    if (err != std::errc{} || at != end || port > 65535)
      return make_error(ec::invalid_argument,
                        "--port needs a port from 0 to 65535, got '" + *args.port + "'");
    opts->port = static_cast<std::uint16_t>(port);
  }
  return opts;
}

}  // namespace

int cmd_serve(const arguments& args) {
  const auto parsed = parse_args(args);
  auto& store = config::global();
  if (auto err = load_config(store, parsed.common.config_file))
    return fail(err);
  const auto& dist = parsed.common.dist;
  auto opts = master_options(store, dist.nodes,
                             dist.security_given ? std::optional{dist.security} : std::nullopt);
  if (!opts)
    return fail(opts.error());
  auto rest_opts = gateway_options(parsed, store);
  if (!rest_opts)
    return fail(rest_opts.error());
  runtime rt{*opts};
  auto gateway = rest_gateway::start(rt, *rest_opts);
  if (!gateway)
    return fail(gateway.error());
  std::signal(SIGINT, on_stop);
  std::signal(SIGTERM, on_stop);
  const auto role = opts->nodes.empty()
                      ? std::string{"local node"}
                      : "master of " + std::to_string(opts->nodes.size()) + " node(s)";
  std::fprintf(stderr, "amoc serve: %s; REST API and dashboard on http://%s:%u/\n", role.c_str(),
               rest_opts->bind.c_str(), static_cast<unsigned>((*gateway)->port()));
  if ((*gateway)->token_generated())
    std::fprintf(stderr,
                 "amoc serve: token %s (send 'Authorization: Bearer TOKEN' to change the run; "
                 "set rest_token to choose one)\n",
                 (*gateway)->token().c_str());
  std::fflush(stderr);
  while (!stop_requested)
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  std::fprintf(stderr, "amoc serve: stopping\n");
  gateway->reset();
  (void)rt.stop(true);
  return success;
}

}  // namespace amoc::cli
