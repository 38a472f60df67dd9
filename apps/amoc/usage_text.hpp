#pragma once

// What `amoc help`, `amoc COMMAND --help` and `amoc help --man` print, all
// from the command table and the declared settings.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_args.hpp"

namespace amoc::cli {

/// A section of the overview and the man page after the commands: a
/// paragraph, then entries of a term and its text.
struct help_section {
  std::string title;
  std::string paragraph;
  std::vector<std::pair<std::string, std::string>> entries;
};

/// The sections after the commands: the --rest option, environment, metrics
/// settings, exit codes, files, examples.
[[nodiscard]] std::vector<help_section> help_sections();

/// The one-line description of amoc (the man page's NAME).
inline constexpr std::string_view tagline =
  "A Murder of Crows: massively parallel XMPP and HTTP load tests";

/// `amoc help`: usage, the commands, then the sections.
[[nodiscard]] std::string overview_text();

/// `amoc COMMAND --help`: synopsis, summary, arguments, every option with its
/// default, details; a group lists its subcommands.
[[nodiscard]] std::string command_help(const command_spec& spec);

/// `amoc help --man`: the manual page in roff (man(7) macros).
[[nodiscard]] std::string man_page();

/// `amoc help settings [NAME]`: every known setting (or the one called
/// `name`) with type, default, rule and description; empty when no setting
/// has that name.
[[nodiscard]] std::string settings_text(std::string_view name);

/// `text` broken into lines of at most `width` columns, each after `indent`
/// spaces (the first line too).
[[nodiscard]] std::string wrapped(std::string_view text, std::size_t indent, std::size_t width);

}  // namespace amoc::cli
