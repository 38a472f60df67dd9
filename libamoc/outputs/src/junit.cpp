#include "amoc/junit.hpp"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "amoc/metrics_format.hpp"
#include "report_parts.hpp"

namespace amoc {

namespace {

using json = nlohmann::json;
using detail::member;

std::string decimal(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", std::isfinite(seconds) && seconds > 0 ? seconds : 0.0);
  return buf;
}

std::string host_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0')
    return "localhost";
  return buf;
}

// The schemas want a token without spaces for the suite's name.
std::string suite_name(const json& result) {
  std::string name = "amoc." + result.value("scenario", std::string{"run"});
  std::replace_if(
    name.begin(), name.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; }, '_');
  return name;
}

// Ant's schema wants a date and time without a zone: the document's UTC time.
std::string timestamp(const json& result) {
  auto at = result.value("started_at", std::string{"1970-01-01T00:00:00Z"});
  if (!at.empty() && at.back() == 'Z')
    at.pop_back();
  return at;
}

std::string measured(const json& t) {
  if (!t.contains("actual") || !t["actual"].is_number())
    return t.value("note", std::string{"not measured"});
  const double v = t["actual"].get<double>();
  const auto unit = t.value("unit", std::string{});
  const auto expression = t.value("expression", std::string{});
  const auto aggregation = expression.substr(0, expression.find_first_of(" <>=!"));
  if (unit == "ms")
    return aggregation + " = " + metrics::format_ms(v * 1000.0) + "ms";
  if (unit == "/s")
    return aggregation + " = " + metrics::format_rate(v) + "/s";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return aggregation + " = " + buf;
}

// The run's thresholds as test cases, in the run file's order.
std::vector<junit_case> threshold_cases(const json& result, const std::string& classname) {
  std::vector<junit_case> cases;
  for (const auto& t : member(result, "thresholds")) {
    const auto metric = t.value("metric", std::string{});
    const auto expression = t.value("expression", std::string{});
    junit_case c{classname, metric + " " + expression, t.value("passed", false), {}, {}};
    if (!c.passed) {
      c.message = measured(t) + ", limit " + expression;
      c.details = "threshold \"" + expression + "\" on " + metric + " crossed: " + measured(t);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string property(const std::string& name, const std::string& value) {
  return "      <property name=\"" + xml_escape(name) + "\" value=\"" + xml_escape(value)
         + "\"/>\n";
}

std::string properties(const json& result) {
  std::string xml = "    <properties>\n";
  xml += property("scenario", result.value("scenario", std::string{}));
  xml += property("state", result.value("state", std::string{}));
  if (!result.value("comment", std::string{}).empty())
    xml += property("comment", result.value("comment", std::string{}));
  if (result.contains("started_at"))
    xml += property("started_at", result.value("started_at", std::string{}));
  if (member(result, "users").contains("started"))
    xml +=
      property("users_started", std::to_string(member(result, "users").value("started", 0ull)));
  return xml + "    </properties>\n";
}

std::string testcase(const junit_case& c, const std::string& kind, double time_s) {
  std::string xml = "    <testcase classname=\"" + xml_escape(c.classname) + "\" name=\""
                    + xml_escape(c.name) + "\" time=\"" + decimal(time_s) + "\"";
  if (c.passed)
    return xml + "/>\n";
  const auto element = kind == "run" ? "error" : "failure";
  return xml + ">\n      <" + element + " message=\"" + xml_escape(c.message) + "\" type=\""
         + xml_escape(kind) + "\">" + xml_escape(c.details) + "</" + element
         + ">\n    </testcase>\n";
}

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    case '\t': out += "&#9;"; break;
    case '\n': out += "&#10;"; break;
    case '\r': out += "&#13;"; break;
    default:
      if (c < 0x20 || c == 0x7f)
        out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 has no way to carry these
      else
        out += ch;
    }
  }
  return out;
}

std::string junit_xml(const json& result, const std::vector<junit_case>& more) {
  const auto suite = suite_name(result);
  auto cases = threshold_cases(result, suite);
  std::vector<std::string> kinds(cases.size(), "threshold");
  for (auto c : more) {
    if (c.classname.empty())
      c.classname = suite;
    cases.push_back(std::move(c));
    kinds.emplace_back("rule");
  }
  const auto state = result.value("state", std::string{});
  const bool run_failed = state == "error" || state == "crashed";
  if (run_failed) {
    const auto error = result.value("error", std::string{"the run ended in " + state});
    cases.push_back({suite, "run", false, error, "the run " + state + ": " + error});
    kinds.emplace_back("run");
  }
  const double wall = detail::number_or(result, "wall_time_s");
  std::size_t failures = 0;
  for (std::size_t i = 0; i < cases.size(); ++i)
    failures += !cases[i].passed && kinds[i] != "run" ? 1 : 0;
  const auto tests = std::to_string(cases.size());
  const auto failed = std::to_string(failures);
  const auto errors = run_failed ? "1" : "0";
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"amoc\" tests=\"" + tests + "\" failures=\"" + failed + "\" errors=\""
         + errors + "\" time=\"" + decimal(wall) + "\">\n";
  xml += "  <testsuite name=\"" + xml_escape(suite) + "\" tests=\"" + tests + "\" failures=\""
         + failed + "\" errors=\"" + errors + "\" skipped=\"0\" time=\"" + decimal(wall)
         + "\" timestamp=\"" + xml_escape(timestamp(result)) + "\" hostname=\""
         + xml_escape(host_name()) + "\" id=\"0\" package=\"amoc\">\n";
  xml += properties(result);
  for (std::size_t i = 0; i < cases.size(); ++i)
    // Thresholds and rules are judged at the end, in no time; a failed run took its wall time.
    xml += testcase(cases[i], kinds[i], kinds[i] == "run" ? wall : 0.0);
  xml += "    <system-out/>\n    <system-err/>\n  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace amoc
