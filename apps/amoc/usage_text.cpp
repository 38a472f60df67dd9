#include "usage_text.hpp"

#include <algorithm>

#include "amoc/config.hpp"
#include "cli_config.hpp"
#include "command_table.hpp"

namespace amoc::cli {

namespace {

constexpr std::size_t width = 100;
constexpr std::size_t term_column = 28;  // where descriptions start in two-column lists

// "  TERM      text", the text wrapped below the term when the term is long.
std::string two_columns(const std::string& term, const std::string& text) {
  std::string out = "  " + term;
  if (text.empty())
    return out + "\n";
  if (out.size() + 2 > term_column) {
    out += "\n";
    return out + wrapped(text, term_column, width);
  }
  out.append(term_column - out.size(), ' ');
  const auto body = wrapped(text, term_column, width);
  return out + body.substr(term_column);
}

std::string option_term(const option_spec& o) {
  return o.is_flag() ? o.name : o.name + " " + o.value_name;
}

std::string option_text(const option_spec& o) {
  auto text = o.description;
  if (o.required)
    text += " (required)";
  if (!o.default_text.empty())
    text += " (default: " + o.default_text + ")";
  if (o.repeatable)
    text += " (may be repeated)";
  return text;
}

std::string commands_listing() {
  std::string out = "Commands:\n";
  for (const auto& c : command_table()) {
    if (c.hidden)
      continue;
    const bool sub = c.name.find(' ') != std::string::npos;
    auto term = c.synopsis().substr(5);  // without "amoc "
    if (const auto at = term.find(" [OPTIONS]"); at != std::string::npos)
      term.erase(at);
    out += two_columns((sub ? "  " : "") + term, c.summary);
  }
  return out;
}

std::string section_text(const help_section& s) {
  std::string out = "\n" + s.title + ":\n";
  if (!s.paragraph.empty())
    out += wrapped(s.paragraph, 2, width);
  for (const auto& [term, text] : s.entries)
    out += two_columns(term, text);
  return out;
}

std::string variable_line(const config::variable& v) {
  auto text = std::string{config::to_string(v.type)} + "; "
              + (v.default_text.empty() ? "no default" : "default " + v.default_text) + "; "
              + v.description;
  if (v.check)
    text += " (" + v.check->description + ")";
  return two_columns(v.name, text);
}

}  // namespace

std::string wrapped(std::string_view text, std::size_t indent, std::size_t max_width) {
  std::string out;
  for (std::size_t start = 0; start <= text.size();) {
    const auto end = std::min(text.find('\n', start), text.size());
    std::string line(indent, ' ');
    for (std::size_t at = start; at < end;) {
      const auto space = std::min(text.find(' ', at), end);
      const auto word = text.substr(at, space - at);
      if (line.size() > indent && line.size() + 1 + word.size() > max_width) {
        out += line + "\n";
        line.assign(indent, ' ');
      }
      line += (line.size() > indent ? " " : "") + std::string{word};
      at = space + 1;
    }
    out += line + "\n";
    start = end + 1;
  }
  return out;
}

std::string overview_text() {
  std::string out =
    "amoc - " + std::string{tagline}
    + "\n\nUsage: amoc COMMAND [ARGUMENTS] [OPTIONS]\n"
      "       amoc COMMAND --help    (every option of COMMAND, with its default)\n\n";
  out += commands_listing();
  for (const auto& s : help_sections())
    out += section_text(s);
  return out;
}

std::string command_help(const command_spec& spec) {
  const auto subs = subcommands_of(spec.name);
  std::string out = "usage: " + spec.synopsis() + (subs.empty() ? "" : " SUBCOMMAND") + "\n\n"
                    + wrapped(spec.summary, 0, width);
  if (!subs.empty()) {
    out += "\nSubcommands:\n";
    for (const auto* sub : subs)
      out += two_columns(sub->synopsis().substr(5 + spec.name.size() + 1), sub->summary);
    out += "\n'amoc " + spec.name + " SUBCOMMAND --help' shows a subcommand's options.\n";
  }
  if (!spec.positionals.empty()) {
    out += "\nArguments:\n";
    for (const auto& p : spec.positionals)
      out += two_columns(p.name, p.description + (p.optional ? " (optional)" : ""));
  }
  if (spec.run) {
    out += "\nOptions:\n";
    for (const auto& o : spec.options)
      out += two_columns(option_term(o), option_text(o));
    out += two_columns("-h, --help", "show this help");
  }
  if (!spec.details.empty())
    out += "\n" + wrapped(spec.details, 0, width);
  return out;
}

std::string settings_text(std::string_view name) {
  std::string out;
  for (const auto& group : known_variable_groups()) {
    std::string lines;
    for (const auto& v : group.variables)
      if (name.empty() || v.name == name)
        lines += variable_line(v);
    if (!lines.empty())
      out += (out.empty() ? "" : "\n") + group.title + ":\n" + lines;
  }
  return out;
}

}  // namespace amoc::cli
