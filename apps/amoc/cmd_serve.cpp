// amoc serve: a node (or the master of worker nodes) controlled through the
// REST gateway and its dashboard, in the foreground until Ctrl-C.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "amoc/config_file.hpp"
#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/rest_gateway.hpp"
#include "amoc/runtime.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace amoc::cli {

namespace {

constexpr const char* serve_usage =
  "usage: amoc serve [--port PORT] [--bind ADDRESS] [--config FILE]\n"
  "                  [--nodes HOST:PORT,... (--cert FILE --key FILE --ca FILE | --insecure)]\n";

std::atomic<bool> stop_requested{false};

void on_stop(int) { stop_requested = true; }

struct serve_args {
  std::optional<std::string> config_file;
  std::optional<std::string> port;
  std::optional<std::string> bind;
  std::vector<std::string> nodes;
  link_security security;
  bool security_given = false;
};

void split_nodes(const std::string& text, std::vector<std::string>& nodes) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty())
      nodes.push_back(item);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
}

std::optional<serve_args> parse_args(std::span<const std::string> args) {
  serve_args parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--insecure") {
      parsed.security.insecure = parsed.security_given = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "amoc serve: %s needs a value\n%s", arg.c_str(), serve_usage);
      return std::nullopt;
    }
    const auto& value = args[++i];
    if (arg == "--port")
      parsed.port = value;
    else if (arg == "--bind")
      parsed.bind = value;
    else if (arg == "--config")
      parsed.config_file = value;
    else if (arg == "--nodes")
      split_nodes(value, parsed.nodes);
    else if (arg == "--cert" || arg == "--key" || arg == "--ca") {
      (arg == "--cert"  ? parsed.security.cert
       : arg == "--key" ? parsed.security.key
                        : parsed.security.ca) = value;
      parsed.security_given = true;
    } else {
      std::fprintf(stderr, "amoc serve: unknown option %s\n%s", arg.c_str(), serve_usage);
      return std::nullopt;
    }
  }
  return parsed;
}

int fail(const caf::error& err) {
  std::fprintf(stderr, "amoc serve: %s\n", render(err).c_str());
  return bad_input;
}

// Command-line values win over the config file and the environment.
caf::expected<runtime::options> runtime_options(const serve_args& args, config::store& store) {
  if (args.port)
    store.set_text("rest_port", *args.port);
  if (args.bind)
    store.set("rest_bind", nlohmann::json(*args.bind));
  runtime::options opts;
  opts.nodes = args.nodes;
  try {
    if (opts.nodes.empty())
      opts.nodes = store.get<std::vector<std::string>>("nodes", {});
  } catch (const config::error& e) {
    return make_error(ec::invalid_config, e.what());
  }
  if (opts.nodes.empty())
    return opts;
  opts.security = args.security_given ? args.security : link_security::from(store);
  if (auto err = opts.security.check())
    return err;
  return opts;
}

}  // namespace

int cmd_serve(std::span<const std::string> args) {
  auto parsed = parse_args(args);
  if (!parsed)
    return bad_input;
  auto& store = config::global();
  if (parsed->config_file) {
    if (auto err = config::load_file(store, *parsed->config_file))
      return fail(err);
  } else if (std::filesystem::exists(defaults::cli::config_file)) {
    if (auto err = config::load_file(store, defaults::cli::config_file))
      return fail(err);
  }
  auto opts = runtime_options(*parsed, store);
  if (!opts)
    return fail(opts.error());
  auto rest_opts = rest_gateway::options::from(store);
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
