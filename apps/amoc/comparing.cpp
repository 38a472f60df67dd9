#include "comparing.hpp"

#include <algorithm>

#include "amoc/error.hpp"
#include "amoc/json_input.hpp"

namespace amoc::cli {

caf::expected<nlohmann::json> read_result(const std::string& path) {
  auto text = input::read_file(path, ec::invalid_argument, comparison::max_result_bytes);
  if (!text)
    return text.error();
  auto doc = input::parse_json(*text, ec::invalid_argument);
  if (!doc)
    return make_error(ec::invalid_argument, path + ": " + context_of(doc.error()));
  // Its own shape: comparing it with itself finds what is not a result.
  if (auto err = comparison::check_comparable(*doc, *doc, path, path))
    return err;
  return doc;
}

caf::expected<std::vector<comparison::rule>> parse_rules(const std::vector<std::string>& texts) {
  std::vector<comparison::rule> rules;
  for (const auto& text : texts) {
    auto r = comparison::parse_rule(text);
    if (!r)
      return make_error(ec::invalid_argument, "--fail-if: " + context_of(r.error()));
    rules.push_back(std::move(*r));
  }
  return rules;
}

caf::expected<std::vector<comparison::verdict>>
compare_and_print(std::FILE* out, const char* command, const nlohmann::json& base,
                  const std::string& base_name, const nlohmann::json& now,
                  const std::string& new_name, const std::vector<comparison::rule>& rules) {
  if (auto err = comparison::check_comparable(base, now, base_name, new_name))
    return err;
  auto verdicts = comparison::judge(rules, base, now);
  if (!verdicts)
    return make_error(ec::invalid_argument, "--fail-if: " + context_of(verdicts.error()));
  std::fprintf(out, "base: %s\nnew:  %s\n\n%s", base_name.c_str(), new_name.c_str(),
               comparison::text_table(comparison::rows(base, now), *verdicts).c_str());
  std::fflush(out);
  const auto crossed =
    std::count_if(verdicts->begin(), verdicts->end(), [](const auto& v) { return v.crossed; });
  if (crossed > 0) {
    std::fprintf(stderr, "amoc %s: %ld of %zu regression rules crossed:\n", command,
                 static_cast<long>(crossed), verdicts->size());
    for (const auto& v : *verdicts)
      if (v.crossed)
        std::fprintf(stderr, "  %s\n", v.describe().c_str());
  }
  return verdicts;
}

bool any_crossed(const std::vector<comparison::verdict>& verdicts) {
  return std::any_of(verdicts.begin(), verdicts.end(), [](const auto& v) { return v.crossed; });
}

std::vector<junit_case> junit_cases(const std::vector<comparison::verdict>& verdicts,
                                    const std::string& base_name) {
  std::vector<junit_case> cases;
  for (const auto& v : verdicts)
    cases.push_back(
      {{},
       v.criterion.text,
       !v.crossed,
       v.crossed ? v.describe() : std::string{},
       v.crossed ? "regression rule crossed against the baseline " + base_name + ": " + v.describe()
                 : std::string{}});
  return cases;
}

}  // namespace amoc::cli
