#include "cli_args.hpp"

#include <algorithm>

#include "amoc/did_you_mean.hpp"

namespace amoc::cli {

const option_spec* command_spec::option(std::string_view name) const {
  const auto it =
    std::find_if(options.begin(), options.end(), [&](const auto& o) { return o.name == name; });
  return it == options.end() ? nullptr : &*it;
}

std::string command_spec::synopsis() const {
  std::string text = "amoc " + name;
  for (const auto& p : positionals)
    text += p.optional ? " [" + p.name + "]" : " " + p.name;
  for (const auto& o : options)
    if (o.required)
      text += " " + o.name + " " + o.value_name;
  if (std::any_of(options.begin(), options.end(), [](const auto& o) { return !o.required; }))
    text += " [OPTIONS]";
  return text;
}

std::optional<std::string> arguments::value(std::string_view option) const {
  const auto it = values_.find(std::string{option});
  if (it == values_.end() || it->second.empty())
    return std::nullopt;
  return it->second.back();
}

std::vector<std::string> arguments::values(std::string_view option) const {
  const auto it = values_.find(std::string{option});
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<std::string> arguments::positional(std::string_view name) const {
  const auto it = positionals_.find(std::string{name});
  if (it == positionals_.end())
    return std::nullopt;
  return it->second;
}

// One pass over the words; the first problem ends it.
struct parser {
  const command_spec& spec;
  std::span<const std::string> words;
  arguments args{spec, words};
  std::size_t next_positional = 0;

  std::string see_help() const { return "; see 'amoc " + spec.name + " --help'"; }

  std::string unknown(const std::string& word) const {
    std::vector<std::string> names;
    for (const auto& o : spec.options)
      names.push_back(o.name);
    const auto close = closest_name(word, names);
    return "unknown option " + word + (close ? " (did you mean " + *close + "?)" : "") + see_help();
  }

  std::string positional(const std::string& word) {
    if (next_positional == spec.positionals.size())
      return "unexpected argument '" + word + "'" + see_help();
    const auto& p = spec.positionals[next_positional++];
    if (!p.choices.empty()
        && std::find(p.choices.begin(), p.choices.end(), word) == p.choices.end()) {
      std::string choices;
      for (const auto& c : p.choices)
        choices += (choices.empty() ? "" : ", ") + c;
      return p.name + " must be one of: " + choices + "; got '" + word + "'";
    }
    args.positionals_[p.name] = word;
    return {};
  }

  // Takes the option at `i` (and its value); returns a problem or "".
  std::string option(std::size_t& i) {
    const auto& word = words[i];
    const auto eq = word.find('=');
    const auto name = word.substr(0, eq);
    const auto* o = spec.option(name);
    if (!o)
      return unknown(name);
    auto& slot = args.values_[o->name];
    if (o->is_flag()) {
      if (eq != std::string::npos)
        return o->name + " takes no value" + see_help();
      slot.emplace_back();
      return {};
    }
    if (eq != std::string::npos) {
      slot.push_back(word.substr(eq + 1));
      return {};
    }
    if (i + 1 == words.size())
      return o->name + " needs a value (" + o->value_name + ")" + see_help();
    slot.push_back(words[++i]);
    return {};
  }

  std::string missing() const {
    for (const auto& o : spec.options)
      if (o.required && !args.has(o.name))
        return o.name + " " + o.value_name + " is required";
    for (auto k = next_positional; k < spec.positionals.size(); ++k)
      if (!spec.positionals[k].optional)
        return "missing " + spec.positionals[k].name;
    return {};
  }
};

parse_outcome parse(const command_spec& spec, std::span<const std::string> words) {
  parser p{spec, words};
  bool options_end = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& word = words[i];
    if (!options_end && (word == "--help" || word == "-h"))
      return {std::nullopt, true, {}};
    std::string problem;
    if (!options_end && word == "--")
      options_end = true;
    else if (!options_end && word.size() > 1 && word[0] == '-')
      problem = p.option(i);
    else
      problem = p.positional(word);
    if (!problem.empty())
      return {std::nullopt, false, problem};
  }
  if (auto problem = p.missing(); !problem.empty())
    return {std::nullopt, false, problem + "\nusage: " + spec.synopsis()};
  return {std::move(p.args), false, {}};
}

}  // namespace amoc::cli
