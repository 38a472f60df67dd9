#include "console/erlang_call.hpp"

#include <array>

#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"

namespace amoc::console {

namespace {

std::string name_of(const erlang_call& call) {
  return (call.module.empty() ? "" : call.module + ":") + call.function + "/"
         + std::to_string(call.args.size());
}

caf::error bad_call(const erlang_call& call, verb v, const std::string& problem) {
  return make_error(ec::invalid_argument,
                    name_of(call) + ": " + problem + "\nusage: " + std::string{spec_of(v).erlang});
}

// An atom or a string as text (scenario, node and setting names).
bool text_of(const term& t, std::string& out) {
  if (!t.is(term::kind::atom) && !t.is(term::kind::string))
    return false;
  out = t.text;
  return true;
}

bool count_of(const term& t, std::uint64_t& out) {
  if (!t.is(term::kind::integer) || t.integer < 0)
    return false;
  out = static_cast<std::uint64_t>(t.integer);
  return true;
}

bool names_of(const term& t, std::vector<std::string>& out) {
  if (!t.is(term::kind::list))
    return false;
  for (const auto& item : t.items) {
    std::string name;
    if (!text_of(item, name))
      return false;
    out.push_back(std::move(name));
  }
  return true;
}

// `[{force, true}]`, `[{nodes, [...]}, {comment, "..."}]`, or (remove) a bare
// boolean and (add) a bare node list, as older versions of the original took.
caf::error apply_options(const erlang_call& call, const term& opts, command& cmd) {
  if (opts.is_atom("true") || opts.is_atom("false")) {
    cmd.force = opts.is_atom("true");
    return {};
  }
  if (!opts.is(term::kind::list))
    return bad_call(call, cmd.what,
                    "options must be a list, got " + std::string{to_string(opts.what)});
  if (cmd.what == verb::dist_add && names_of(opts, cmd.nodes))
    return {};
  cmd.nodes.clear();
  for (const auto& opt : opts.items) {
    if (!opt.is(term::kind::tuple) || opt.items.size() != 2 || !opt.items[0].is(term::kind::atom))
      return bad_call(call, cmd.what, "each option must be a {name, Value} tuple");
    const auto& key = opt.items[0].text;
    const auto& value = opt.items[1];
    const bool ok = key == "force"     ? value.is_atom("true") || value.is_atom("false")
                    : key == "nodes"   ? names_of(value, cmd.nodes)
                    : key == "comment" ? text_of(value, cmd.comment)
                                       : false;
    if (!ok)
      return bad_call(call, cmd.what, "bad option {" + key + ", ...}");
    if (key == "force")
      cmd.force = value.is_atom("true");
  }
  return {};
}

caf::expected<command> translate_run(const erlang_call& call, verb v) {
  command cmd;
  cmd.what = v;
  const auto max_args = v == verb::dist_do ? 4u : 3u;
  if (call.args.size() < 3 || call.args.size() > max_args)
    return bad_call(call, v, "wrong number of arguments");
  if (!text_of(call.args[0], cmd.scenario) || !count_of(call.args[1], cmd.first)
      || !count_of(call.args[2], cmd.last))
    return bad_call(call, v, "expected a scenario name and two user ids");
  if (cmd.first > cmd.last)
    return bad_call(call, v, "the first id is greater than the last");
  if (call.args.size() == 4)
    if (auto err = apply_options(call, call.args[3], cmd))
      return err;
  return cmd;
}

caf::expected<command> translate_count(const erlang_call& call, verb v) {
  command cmd;
  cmd.what = v;
  if (call.args.empty() || call.args.size() > 2)
    return bad_call(call, v, "wrong number of arguments");
  if (!count_of(call.args[0], cmd.count))
    return bad_call(call, v, "expected a number of users");
  if (call.args.size() == 2)
    if (auto err = apply_options(call, call.args[1], cmd))
      return err;
  return cmd;
}

caf::expected<command> translate_set_env(const erlang_call& call) {
  command cmd;
  cmd.what = verb::config_set;
  if (call.args.size() != 3 || !call.args[0].is_atom("amoc") || !text_of(call.args[1], cmd.name))
    return bad_call(call, cmd.what, "expected amoc, a setting name and a value");
  const auto& value = call.args[2];
  if (value.is(term::kind::integer))
    cmd.value = std::to_string(value.integer);
  else if (!text_of(value, cmd.value))
    return bad_call(call, cmd.what, "the value must be an integer, atom or string");
  return cmd;
}

caf::expected<command> translate_get(const erlang_call& call) {
  command cmd;
  cmd.what = verb::config_get;
  if (call.args.size() != 1 || !text_of(call.args[0], cmd.name))
    return bad_call(call, cmd.what, "expected a setting name");
  return cmd;
}

struct known_call {
  std::string_view module;
  std::string_view function;
  verb what;
};

constexpr std::array<known_call, 10> known{{
  {"amoc_local", "do", verb::local_do},
  {"amoc_local", "add", verb::local_add},
  {"amoc_local", "remove", verb::local_remove},
  {"amoc_dist", "do", verb::dist_do},
  {"amoc_dist", "add", verb::dist_add},
  {"amoc_dist", "remove", verb::dist_remove},
  {"application", "set_env", verb::config_set},
  {"amoc_config", "get", verb::config_get},
  {"", "q", verb::quit},
  {"", "help", verb::help},
}};

caf::error unknown_call(const erlang_call& call) {
  const auto typed = call.module + ":" + call.function;
  std::string best;
  auto best_distance = std::string::npos;
  for (const auto& k : known) {
    const auto candidate = std::string{k.module} + ":" + std::string{k.function};
    if (auto d = edit_distance(typed, candidate); d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  auto text = "unknown call " + name_of(call);
  if (best_distance <= 3)
    text += "; did you mean " + best + "?";
  return make_error(ec::invalid_argument, text + " (type 'help' for the list)");
}

}  // namespace

caf::expected<command> translate(const erlang_call& call) {
  for (const auto& k : known) {
    if (call.module != k.module || call.function != k.function)
      continue;
    switch (k.what) {
    case verb::local_do:
    case verb::dist_do: return translate_run(call, k.what);
    case verb::config_set: return translate_set_env(call);
    case verb::config_get: return translate_get(call);
    case verb::quit:
    case verb::help: {
      command cmd;
      cmd.what = k.what;
      return cmd;
    }
    default: return translate_count(call, k.what);
    }
  }
  return unknown_call(call);
}

}  // namespace amoc::console
