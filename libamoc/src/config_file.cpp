#include "amoc/config_file.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"
#include "text.hpp"

extern char** environ;

namespace amoc::config {

namespace {

using detail::lowercase;

std::string suggestion(std::string_view typed, const std::vector<std::string>& known) {
  const auto best = closest_name(typed, known);
  return best ? " (did you mean `" + *best + "`?)" : "";
}

bool has_lowercase(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::islower(c) != 0; });
}

}  // namespace

caf::error load_file(store& s, const std::string& path) {
  auto text = input::read_file(path, ec::bad_config_file);
  if (!text)
    return text.error();
  auto doc = input::parse_json(*text, ec::bad_config_file);
  if (!doc)
    return make_error(ec::bad_config_file, path + ": " + context_of(doc.error()));
  if (!doc->is_object())
    return make_error(ec::bad_config_file, path + ": top level must be a JSON object");
  s.set_file_values(*doc);
  return {};
}

caf::error check(const store& s, const std::vector<variable>& vars) {
  const auto problems = s.validate(vars);
  if (problems.empty())
    return {};
  std::string text;
  for (const auto& problem : problems)
    text += (text.empty() ? "" : "; ") + problem;
  return make_error(ec::invalid_config, text);
}

std::vector<std::string> unknown_settings(const json& object,
                                          const std::vector<std::string>& known) {
  std::vector<std::string> problems;
  if (!object.is_object())
    return problems;
  for (const auto& [key, _] : object.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      problems.push_back("unknown setting `" + key + "`" + suggestion(key, known));
  return problems;
}

std::vector<std::string> unknown_environment_settings(const std::vector<std::string>& environment,
                                                      const std::vector<std::string>& known) {
  constexpr std::string_view prefix = "AMOC_";
  std::vector<std::string> uppercase_known;
  for (const auto& k : known) {
    std::string upper = k;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    uppercase_known.push_back(std::move(upper));
  }
  std::vector<std::string> warnings;
  for (const auto& entry : environment) {
    if (!entry.starts_with(prefix))
      continue;
    const auto name = entry.substr(prefix.size(), entry.find('=') - prefix.size());
    if (name.empty() || std::find(known.begin(), known.end(), name) != known.end()
        || std::find(uppercase_known.begin(), uppercase_known.end(), name) != uppercase_known.end())
      continue;
    const auto best = closest_name(lowercase(name), known);
    if (!best && !has_lowercase(name))
      continue;  // AMOC_PLUGIN_DIR, AMOC_JOBS: not meant as settings
    warnings.push_back("AMOC_" + name + ": no setting has this name"
                       + (best ? " (did you mean `AMOC_" + *best + "`?)" : std::string{}));
  }
  return warnings;
}

std::vector<std::string> amoc_environment() {
  std::vector<std::string> entries;
  for (char** e = environ; e && *e; ++e)
    if (std::string_view{*e}.starts_with("AMOC_"))
      entries.emplace_back(*e);
  return entries;
}

}  // namespace amoc::config
