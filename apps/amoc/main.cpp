// amoc: the command-line entry point. The commands, their arguments and
// options are declared in command_table.cpp; one command per file (cmd_*.cpp).

#include <cstdio>
#include <string>
#include <vector>

#include "amoc/plugins.hpp"
#include "command_table.hpp"
#include "exit_codes.hpp"
#include "usage_text.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(amoc::cli::overview_text().c_str(), stderr);
    return amoc::cli::bad_input;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::fputs(amoc::cli::overview_text().c_str(), stdout);
    return amoc::cli::success;
  }
  if (args[0] == "--version")
    return amoc::cli::dispatch(std::vector<std::string>{"version"});
  // Not in the help: the REST gateway's first load of an uploaded plugin.
  if (args[0] == amoc::plugins::trial_command && args.size() == 2)
    amoc::plugins::trial_load_main(args[1]);
  return amoc::cli::dispatch(args);
}
