// amoc console: an interactive node in this terminal (the original's `bin/amoc console`).

#include <cstdio>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/log.hpp"
#include "cli_config.hpp"
#include "commands.hpp"
#include "console/command.hpp"
#include "console/console_options.hpp"
#include "console/interpreter.hpp"
#include "console/line_editor.hpp"
#include "console/paths.hpp"
#include "console/text.hpp"
#include "console/ticker.hpp"
#include "exit_codes.hpp"
#include "rest_option.hpp"

namespace amoc::cli {

namespace {

constexpr const char* greeting =
  "amoc console: type 'help' for the commands; Tab completes; quit or Ctrl+D leaves "
  "(and stops the run)\n";

// Restores the stderr log sink however the console ends.
struct sink_guard {
  ~sink_guard() { log::set_sink({}); }
};

console::line_editor::completer completer() {
  return [](std::string_view before, std::string_view word) {
    return console::completions(before, word, console::interpreter::scenarios());
  };
}

std::string history_path() {
  // History is a convenience: without a writable state folder the console still works.
  const auto dir = console::state_dir();
  return console::ensure_private_dir(dir) ? std::string{} : console::history_file().string();
}

}  // namespace

console::console_options console_options_of(const arguments& args) {
  console::console_options opts;
  opts.config_file = args.value("--config");
  if (auto nodes = args.value("--nodes"))
    opts.dist.nodes = console::split_list(*nodes);
  auto& sec = opts.dist.security;
  sec.cert = args.value("--cert").value_or("");
  sec.key = args.value("--key").value_or("");
  sec.ca = args.value("--ca").value_or("");
  sec.insecure = args.has("--insecure");
  opts.dist.security_given =
    sec.insecure || !sec.cert.empty() || !sec.key.empty() || !sec.ca.empty();
  opts.rest = args.has("--rest");
  opts.foreground = args.has("--foreground");
  return opts;
}

int cmd_console(const arguments& args) {
  const auto opts = console_options_of(args);
  auto& store = config::global();
  if (auto err = load_config(store, opts.config_file))
    return fail("console", err);
  if (auto threads = checked_node_threads(store); !threads)
    return fail("console", threads.error());
  console::interpreter interp{store, opts.dist};
  std::unique_ptr<rest_gateway> rest;
  if (opts.rest) {
    auto gateway = start_rest("console", interp, store);
    if (!gateway)
      return fail("console", gateway.error());
    rest = std::move(*gateway);
  }
  console::session session;
  console::line_editor editor{{"amoc> ", history_path(), completer()}};
  sink_guard restore_sink;
  log::set_sink([&editor](log::level lvl, std::string_view text) {
    editor.print(log::format_line(lvl, text));
  });
  console::ticker progress{defaults::cli::progress_interval, [&] {
                             if (session.progress)
                               for (const auto& line : interp.progress_lines())
                                 editor.print(line);
                           }};
  std::fputs(greeting, stdout);
  std::fflush(stdout);
  editor.run([&](const std::string& line) {
    if (console::trim(line).empty())
      return true;
    auto r = interp.execute(line, session);
    if (!r.text.empty())
      editor.print(r.text);
    return !r.leave;
  });
  // Leaving stops the run, as the original's console does: say so first.
  std::printf("%s\n", interp.leave_notice().c_str());
  std::fflush(stdout);
  rest.reset();
  interp.stop_runs(defaults::console::leave_timeout);
  return success;
}

}  // namespace amoc::cli
