#include "run_outputs.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/report_html.hpp"
#include "amoc/series_csv.hpp"
#include "output_file.hpp"

namespace amoc::cli {

bool run_outputs::set(const std::string& option, std::string path) {
  auto* slot = option == "--out"      ? &out
               : option == "--report" ? &report
               : option == "--junit"  ? &junit
               : option == "--csv"    ? &csv
                                      : nullptr;
  if (!slot)
    return false;
  *slot = std::move(path);
  return true;
}

caf::error run_outputs::check_writable() const {
  for (const auto& [option, path] : {std::pair{"--out", &out}, std::pair{"--report", &report},
                                     std::pair{"--junit", &junit}, std::pair{"--csv", &csv}})
    if (*path)
      if (auto err = cli::check_writable(option, **path))
        return err;
  return {};
}

bool run_outputs::write(const nlohmann::json& doc, const std::vector<junit_case>& more) const {
  bool all = true;
  auto put = [&](const std::optional<std::string>& path, auto make) {
    if (!path)
      return;
    if (auto err = write_file(*path, make())) {
      std::fprintf(stderr, "amoc run: %s\n", context_of(err).c_str());
      all = false;
    }
  };
  put(out, [&] { return doc.dump(2) + "\n"; });
  put(report, [&] { return html_report(doc); });
  put(junit, [&] { return junit_xml(doc, more); });
  put(csv, [&] { return series_csv(doc); });
  return all;
}

}  // namespace amoc::cli
