#include "amoc/config_file.hpp"

#include "amoc/error.hpp"
#include "amoc/json_input.hpp"

namespace amoc::config {

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

}  // namespace amoc::config
