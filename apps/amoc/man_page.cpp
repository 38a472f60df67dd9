// `amoc help --man`: amoc(1) in roff with the man(7) macros, from the command
// table and the help sections; the build writes it to amoc.1 (apps/CMakeLists.txt).

#include "command_table.hpp"
#include "usage_text.hpp"

namespace amoc::cli {

namespace {

// Text as roff reads it literally: backslashes escaped, hyphens as \- (so
// options copy and search as typed), a leading dot or quote made harmless.
std::string roff(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  return out;
}

// One input line per text line; each starts with \& so roff never reads a
// request or a control character there.
std::string roff_lines(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    out += "\\&" + roff(text.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  return out;
}

std::string tagged(const std::string& term, const std::string& text) {
  return ".TP\n.B \"" + roff(term) + "\"\n" + roff_lines(text.empty() ? " " : text);
}

std::string command_section(const command_spec& c) {
  std::string out = ".SS \"" + roff(c.synopsis()) + "\"\n" + roff_lines(c.summary);
  for (const auto& p : c.positionals)
    out += tagged(p.name, p.description + (p.optional ? " (optional)" : ""));
  for (const auto& o : c.options) {
    auto text = o.description;
    if (o.required)
      text += " (required)";
    if (!o.default_text.empty())
      text += " (default: " + o.default_text + ")";
    out += tagged(o.is_flag() ? o.name : o.name + " " + o.value_name, text);
  }
  if (!c.details.empty())
    out += ".PP\n" + roff_lines(c.details);
  return out;
}

std::string upper(std::string text) {
  for (auto& c : text)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return text;
}

}  // namespace

std::string man_page() {
  std::string out = ".TH AMOC 1 \"\" \"amoc " AMOC_VERSION "\" \"User Commands\"\n"
                    ".SH NAME\namoc \\- "
                    + roff(tagline)
                    + "\n.SH SYNOPSIS\n.B amoc\n.I COMMAND\n[\\fIARGUMENTS\\fR] "
                      "[\\fIOPTIONS\\fR]\n.br\n.B amoc\n.I COMMAND\n.B \\-\\-help\n"
                      ".SH DESCRIPTION\n"
                    + roff_lines("amoc runs load tests: each user is a lightweight actor that runs "
                                 "the scenario's coroutine, on one node or spread over worker "
                                 "nodes. Every command accepts -h or --help.")
                    + ".SH COMMANDS\n";
  for (const auto& c : command_table())
    if (!c.hidden && c.run)
      out += command_section(c);
  for (const auto& s : help_sections()) {
    out += ".SH \"" + roff(upper(s.title)) + "\"\n";
    if (!s.paragraph.empty())
      out += roff_lines(s.paragraph);
    for (const auto& [term, text] : s.entries)
      out += tagged(term, text);
  }
  return out + ".SH \"SEE ALSO\"\nThe README and docs/ of the amoc sources.\n";
}

}  // namespace amoc::cli
