// Console syntax: `local do dummy 1 10`, `dist remove 5 --force`, ...

#include <algorithm>

#include "amoc/error.hpp"
#include "console/command.hpp"
#include "console/erlang_call.hpp"
#include "console/erlang_term.hpp"
#include "console/text.hpp"

namespace amoc::console {

namespace {

caf::error usage_error(const command_spec& spec, const std::string& problem) {
  return make_error(ec::invalid_argument, std::string{spec.name} + ": " + problem
                                            + "\nusage: " + std::string{spec.usage});
}

caf::error unknown_command(std::string_view typed) {
  auto text = "unknown command '" + std::string{typed} + "'";
  if (auto best = closest_command(typed); !best.empty())
    text += "; did you mean '" + best + "'?";
  return make_error(ec::invalid_argument, text + " (type 'help' for the list)");
}

// The spec named by the first one or two words; `used` says how many.
const command_spec* find_spec(const std::vector<std::string>& words, std::size_t& used) {
  for (const auto& spec : command_table()) {
    const auto space = spec.name.find(' ');
    if (space == std::string_view::npos && words[0] == spec.name) {
      used = 1;
      return &spec;
    }
    if (space != std::string_view::npos && words.size() > 1
        && words[0] == spec.name.substr(0, space) && words[1] == spec.name.substr(space + 1)) {
      used = 2;
      return &spec;
    }
  }
  return nullptr;
}

// Positional arguments and --options of one command.
class arguments {
public:
  arguments(const command_spec& spec, std::vector<std::string> words)
      : spec_(spec), words_(std::move(words)) {}

  // Takes `--name VALUE` (or `--name` alone when `flag`) out of the words.
  caf::expected<std::optional<std::string>> option(std::string_view name, bool flag = false) {
    auto it = std::find(words_.begin(), words_.end(), name);
    if (it == words_.end())
      return std::optional<std::string>{};
    if (flag) {
      words_.erase(it);
      return std::optional<std::string>{"true"};
    }
    if (std::next(it) == words_.end())
      return usage_error(spec_, std::string{name} + " needs a value");
    std::optional<std::string> value{*std::next(it)};
    words_.erase(it, std::next(it, 2));
    return value;
  }

  // Exactly `n` positional words remain (after the options were taken).
  caf::error expect(std::size_t n) const {
    for (const auto& w : words_)
      if (w.starts_with("--"))
        return usage_error(spec_, "unknown option " + w);
    if (words_.size() != n)
      return usage_error(spec_, "expected " + std::to_string(n) + " argument" + (n == 1 ? "" : "s")
                                  + ", got " + std::to_string(words_.size()));
    return {};
  }

  caf::expected<std::uint64_t> number(std::size_t i, std::string_view what) const {
    if (auto n = parse_count(words_[i]))
      return *n;
    return usage_error(spec_, std::string{what} + " must be a number, got '" + words_[i] + "'");
  }

  [[nodiscard]] const std::string& operator[](std::size_t i) const { return words_[i]; }

private:
  const command_spec& spec_;
  std::vector<std::string> words_;
};

caf::error parse_run_args(arguments& args, command& cmd) {
  for (auto [name, field] :
       {std::pair{"--duration", &command::duration},
        std::pair{"--graceful-stop-timeout", &command::graceful_stop_timeout}}) {
    auto value = args.option(name);
    if (!value)
      return value.error();
    cmd.*field = value->value_or("");
  }
  if (cmd.what == verb::dist_do) {
    auto nodes = args.option("--nodes");
    auto comment = args.option("--comment");
    if (!nodes)
      return nodes.error();
    if (!comment)
      return comment.error();
    if (*nodes)
      cmd.nodes = split_list(**nodes);
    cmd.comment = comment->value_or("");
  }
  if (auto err = args.expect(3))
    return err;
  cmd.scenario = args[0];
  auto first = args.number(1, "FIRST");
  if (!first)
    return first.error();
  auto last = args.number(2, "LAST");
  if (!last)
    return last.error();
  cmd.first = *first;
  cmd.last = *last;
  if (cmd.first > cmd.last)
    return usage_error(spec_of(cmd.what),
                       "FIRST (" + args[1] + ") is greater than LAST (" + args[2] + ")");
  return {};
}

caf::error parse_count_args(arguments& args, command& cmd) {
  if (cmd.what == verb::dist_add || cmd.what == verb::dist_remove) {
    auto nodes = args.option("--nodes");
    if (!nodes)
      return nodes.error();
    if (*nodes)
      cmd.nodes = split_list(**nodes);
  }
  if (cmd.what == verb::local_remove || cmd.what == verb::dist_remove) {
    auto force = args.option("--force", true);
    if (!force)
      return force.error();
    cmd.force = force->has_value();
  }
  if (auto err = args.expect(1))
    return err;
  auto n = args.number(0, "N");
  if (!n)
    return n.error();
  cmd.count = *n;
  return {};
}

caf::error parse_args(arguments& args, command& cmd, std::size_t given) {
  switch (cmd.what) {
  case verb::local_do:
  case verb::dist_do: return parse_run_args(args, cmd);
  case verb::local_add:
  case verb::dist_add:
  case verb::local_remove:
  case verb::dist_remove: return parse_count_args(args, cmd);
  case verb::run_file:
    if (auto err = args.expect(1))
      return err;
    cmd.path = args[0];
    return {};
  case verb::result:
    if (auto err = args.expect(given > 0 ? 1 : 0))
      return err;
    cmd.path = given > 0 ? args[0] : "";
    return {};
  case verb::config_get:
  case verb::log_level:
    if (auto err = args.expect(1))
      return err;
    cmd.name = args[0];
    return {};
  case verb::config_set:
    if (auto err = args.expect(2))
      return err;
    cmd.name = args[0];
    cmd.value = args[1];
    return {};
  case verb::progress:
    if (auto err = args.expect(1))
      return err;
    if (args[0] != "on" && args[0] != "off")
      return usage_error(spec_of(cmd.what), "expected on or off, got '" + args[0] + "'");
    cmd.on = args[0] == "on";
    return {};
  case verb::help:
    // `help local do`: the rest of the line names the command.
    for (std::size_t i = 0; i < given; ++i)
      cmd.name += (i ? " " : "") + args[i];
    return {};
  default: return args.expect(0);
  }
}

}  // namespace

caf::expected<command> parse_command(std::string_view line) {
  if (looks_like_call(line)) {
    auto call = parse_call(line);
    if (!call)
      return call.error();
    return translate(*call);
  }
  auto words = tokenize(line);
  if (!words)
    return words.error();
  if (words->empty())
    return make_error(ec::invalid_argument, "empty command (type 'help' for the list)");
  std::size_t used = 0;
  const auto* spec = find_spec(*words, used);
  if (!spec) {
    const bool group = !second_words_of((*words)[0]).empty();
    return unknown_command(group && words->size() > 1 ? (*words)[0] + " " + (*words)[1]
                                                      : (*words)[0]);
  }
  command cmd;
  cmd.what = spec->what;
  const auto given = words->size() - used;
  arguments args{*spec, {words->begin() + static_cast<std::ptrdiff_t>(used), words->end()}};
  if (auto err = parse_args(args, cmd, given))
    return err;
  return cmd;
}

}  // namespace amoc::console
