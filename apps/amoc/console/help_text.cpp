#include <algorithm>

#include "amoc/error.hpp"
#include "console/command.hpp"

namespace amoc::console {

namespace {

constexpr std::string_view overview_tail =
  "\nLocal and distributed runs coexist: `local` commands run users in this node;\n"
  "the first `dist` or `nodes` command connects to the worker nodes given by\n"
  "--nodes (or the `nodes` setting) and runs users there. Each has its own run.\n"
  "The original amoc's calls work too, e.g. amoc_local:do(dummy, 1, 10).\n"
  "Ctrl+D leaves like quit; `help COMMAND` shows a command in detail.\n";

std::string detail(const command_spec& spec) {
  auto text = "usage: " + std::string{spec.usage} + "\n  " + std::string{spec.summary} + "\n";
  if (!spec.erlang.empty())
    text += "  also: " + std::string{spec.erlang} + "\n";
  return text;
}

}  // namespace

caf::expected<std::string> help_text(std::string_view topic) {
  std::string text;
  if (topic.empty()) {
    text = "Commands:\n";
    for (const auto& spec : command_table()) {
      auto usage = std::string{spec.usage};
      usage.resize(std::max<std::size_t>(usage.size(), 36), ' ');
      text += "  " + usage + "  " + std::string{spec.summary} + "\n";
    }
    return text + std::string{overview_tail};
  }
  // `help local` shows the whole group, `help local do` one command.
  for (const auto& spec : command_table())
    if (spec.name == topic || spec.name.substr(0, spec.name.find(' ')) == topic)
      text += detail(spec);
  if (!text.empty())
    return text;
  auto message = "no command '" + std::string{topic} + "'";
  if (auto best = closest_command(topic); !best.empty())
    message += "; did you mean '" + best + "'?";
  return make_error(ec::invalid_argument, message);
}

}  // namespace amoc::console
