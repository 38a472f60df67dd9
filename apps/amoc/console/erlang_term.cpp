#include "console/erlang_term.hpp"

#include <cctype>
#include <limits>

#include "amoc/error.hpp"

namespace amoc::console {

namespace {

bool atom_start(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }

bool atom_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '@';
}

// A recursive-descent reader over one line; `pos_` only moves forward.
class reader {
public:
  explicit reader(std::string_view text) : text_(text) {}

  caf::expected<term> read_term() {
    skip_space();
    if (at_end())
      return fail("a term");
    const char c = text_[pos_];
    if (c == '[')
      return read_sequence(']', term::kind::list);
    if (c == '{')
      return read_sequence('}', term::kind::tuple);
    if (c == '"')
      return read_quoted('"', term::kind::string);
    if (c == '\'')
      return read_quoted('\'', term::kind::atom);
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c)))
      return read_integer();
    if (atom_start(c))
      return term{term::kind::atom, read_word(), 0, {}};
    if (std::isupper(static_cast<unsigned char>(c)) || c == '_')
      return fail("a term (variables such as " + read_word() + " are not supported)");
    return fail("a term");
  }

  std::string read_word() {
    const auto begin = pos_;
    while (!at_end() && atom_char(text_[pos_]))
      ++pos_;
    return std::string{text_.substr(begin, pos_ - begin)};
  }

  // True (and consumes it) when the next non-space character is `c`.
  bool accept(char c) {
    skip_space();
    if (at_end() || text_[pos_] != c)
      return false;
    ++pos_;
    return true;
  }

  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  /// The next character, or '\0' at the end.
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }

  caf::error fail(const std::string& expected) const {
    const auto found = at_end() ? std::string{"the end of the line"}
                                : "'" + std::string{text_.substr(pos_, 12)} + "'";
    return make_error(ec::invalid_argument, "expected " + expected + " at column "
                                              + std::to_string(pos_ + 1) + ", found " + found);
  }

  // Elements up to `close`, separated by commas: `[a, b]`, `{force, true}`, `[]`.
  caf::expected<term> read_sequence(char close, term::kind kind) {
    ++pos_;
    term result{kind, {}, 0, {}};
    if (accept(close))
      return result;
    for (;;) {
      auto item = read_term();
      if (!item)
        return item.error();
      result.items.push_back(std::move(*item));
      if (accept(close))
        return result;
      if (!accept(','))
        return fail(std::string{"',' or '"} + close + "'");
    }
  }

  // "string" or 'quoted atom', with backslash escapes.
  caf::expected<term> read_quoted(char quote, term::kind kind) {
    ++pos_;
    std::string text;
    while (!at_end() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\\' && !at_end()) {
        c = text_[pos_++];
        c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
      }
      text.push_back(c);
    }
    if (at_end())
      return fail(std::string{"a closing "} + quote);
    ++pos_;
    return term{kind, std::move(text), 0, {}};
  }

  caf::expected<term> read_integer() {
    const bool negative = text_[pos_] == '-';
    if (negative)
      ++pos_;
    if (at_end() || !std::isdigit(static_cast<unsigned char>(text_[pos_])))
      return fail("a digit");
    std::uint64_t value = 0;
    constexpr auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    while (!at_end() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      value = value * 10 + static_cast<std::uint64_t>(text_[pos_++] - '0');
      if (value > limit)
        return make_error(ec::invalid_argument, "integer too large");
    }
    if (!at_end() && text_[pos_] == '.' && pos_ + 1 < text_.size()
        && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))
      return fail("an integer (floats are not supported)");
    const auto signed_value = static_cast<std::int64_t>(value);
    return term{term::kind::integer, {}, negative ? -signed_value : signed_value, {}};
  }

private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

const char* to_string(term::kind k) {
  switch (k) {
  case term::kind::atom: return "atom";
  case term::kind::string: return "string";
  case term::kind::integer: return "integer";
  case term::kind::list: return "list";
  case term::kind::tuple: return "tuple";
  }
  return "term";
}

caf::expected<term> parse_term(std::string_view text) {
  reader in{text};
  auto result = in.read_term();
  if (!result)
    return result;
  in.skip_space();
  if (!in.at_end())
    return in.fail("the end of the term");
  return result;
}

caf::expected<erlang_call> parse_call(std::string_view text) {
  reader in{text};
  in.skip_space();
  erlang_call call;
  if (!atom_start(in.peek()))
    return in.fail("a module or function name");
  call.function = in.read_word();
  if (in.accept(':')) {
    call.module = std::move(call.function);
    in.skip_space();
    if (!atom_start(in.peek()))
      return in.fail("a function name");
    call.function = in.read_word();
  }
  if (!in.accept('('))
    return in.fail("'('");
  if (!in.accept(')')) {
    for (;;) {
      auto arg = in.read_term();
      if (!arg)
        return arg.error();
      call.args.push_back(std::move(*arg));
      if (in.accept(')'))
        break;
      if (!in.accept(','))
        return in.fail("',' or ')'");
    }
  }
  in.accept('.');
  in.skip_space();
  if (!in.at_end())
    return in.fail("the end of the line");
  return call;
}

bool looks_like_call(std::string_view line) {
  reader in{line};
  in.skip_space();
  if (!atom_start(in.peek()))
    return false;
  (void)in.read_word();
  if (in.accept(':')) {
    in.skip_space();
    if (!atom_start(in.peek()))
      return false;
    (void)in.read_word();
  }
  return in.accept('(');
}

}  // namespace amoc::console
