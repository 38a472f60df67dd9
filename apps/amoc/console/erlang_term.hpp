#pragma once

/// The subset of Erlang terms the original amoc's shell commands use, so its
/// users can paste `amoc_dist:do(my_scenario, 1, 100, [{nodes, ['a@h']}]).`:
/// atoms, quoted atoms, strings, integers, lists and tuples.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

namespace amoc::console {

struct term {
  enum class kind { atom, string, integer, list, tuple };
  kind what = kind::atom;
  std::string text;          ///< an atom's name or a string's characters
  std::int64_t integer = 0;  ///< an integer's value
  std::vector<term> items;   ///< a list's or tuple's elements

  [[nodiscard]] bool is(kind k) const noexcept { return what == k; }
  [[nodiscard]] bool is_atom(std::string_view name) const {
    return what == kind::atom && text == name;
  }
};

/// "atom", "string", ... for error messages.
[[nodiscard]] const char* to_string(term::kind k);

/// `module:function(Arg, ...)` with an optional final `.`.
struct erlang_call {
  std::string module;
  std::string function;
  std::vector<term> args;
};

/// Parses one term; errors (`ec::invalid_argument`) say what was expected where.
[[nodiscard]] caf::expected<term> parse_term(std::string_view text);

/// Parses a remote call such as `amoc_local:add(10).`.
[[nodiscard]] caf::expected<erlang_call> parse_call(std::string_view text);

/// True when `line` looks like an Erlang call (`word:word(`), not a console command.
[[nodiscard]] bool looks_like_call(std::string_view line);

}  // namespace amoc::console
