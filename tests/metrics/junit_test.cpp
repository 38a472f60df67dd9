#include "amoc/junit.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <pugixml.hpp>
#include <regex>

#include "result_docs.hpp"

using namespace amoc;

namespace {

// What the common JUnit schemas require (Ant's JUnit.xsd, the stricter, and
// Jenkins' junit-10.xsd): every problem found, empty when the document conforms.
std::vector<std::string> schema_problems(const pugi::xml_document& doc) {
  std::vector<std::string> problems;
  auto need = [&](const pugi::xml_node& node, std::initializer_list<const char*> attributes) {
    for (auto a : attributes)
      if (!node.attribute(a))
        problems.push_back(std::string{node.name()} + " lacks " + a);
  };
  const std::regex decimal{R"([0-9]+(\.[0-9]+)?)"};
  const std::regex count{R"([0-9]+)"};
  const std::regex datetime{R"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})"};
  auto matches = [&](const pugi::xml_node& node, const char* a, const std::regex& re) {
    if (node.attribute(a) && !std::regex_match(node.attribute(a).value(), re))
      problems.push_back(std::string{node.name()} + " " + a + "=\"" + node.attribute(a).value()
                         + "\" has the wrong form");
  };
  const auto root = doc.document_element();
  if (std::string{root.name()} != "testsuites")
    return {"the root is " + std::string{root.name()} + ", not testsuites"};
  for (const auto& suite : root.children()) {
    if (std::string{suite.name()} != "testsuite") {
      problems.push_back("testsuites holds " + std::string{suite.name()});
      continue;
    }
    need(suite,
         {"name", "tests", "failures", "errors", "time", "timestamp", "hostname", "id", "package"});
    for (auto a : {"tests", "failures", "errors", "skipped"})
      matches(suite, a, count);
    matches(suite, "time", decimal);
    matches(suite, "timestamp", datetime);
    if (std::string{suite.attribute("name").value()}.find(' ') != std::string::npos)
      problems.emplace_back("testsuite name has a space");
    // Ant's order: properties, testcase*, system-out, system-err.
    std::vector<std::string> order;
    for (const auto& child : suite.children())
      order.push_back(child.name());
    if (order.size() < 3 || order.front() != "properties" || order[order.size() - 2] != "system-out"
        || order.back() != "system-err")
      problems.emplace_back("testsuite children are not properties, testcase*, system-out, "
                            "system-err");
    std::size_t tests = 0, failures = 0, errors = 0;
    for (const auto& tc : suite.children("testcase")) {
      ++tests;
      need(tc, {"name", "classname", "time"});
      matches(tc, "time", decimal);
      std::size_t verdicts = 0;
      for (const auto& v : tc.children()) {
        const std::string kind = v.name();
        if (kind != "failure" && kind != "error")
          problems.push_back("testcase holds " + kind);
        need(v, {"message", "type"});
        failures += kind == "failure" ? 1 : 0;
        errors += kind == "error" ? 1 : 0;
        ++verdicts;
      }
      if (verdicts > 1)
        problems.emplace_back("a testcase with more than one failure or error");
    }
    if (suite.attribute("tests").as_ullong() != tests)
      problems.emplace_back("tests is not the number of testcases");
    if (suite.attribute("failures").as_ullong() != failures)
      problems.emplace_back("failures is not the number of failures");
    if (suite.attribute("errors").as_ullong() != errors)
      problems.emplace_back("errors is not the number of errors");
  }
  return problems;
}

pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  const auto ok = doc.load_string(xml.c_str());
  EXPECT_TRUE(ok) << ok.description() << "\n" << xml;
  return doc;
}

test::run_shape slow_run() {
  test::run_shape shape;
  shape.ttd_ms = 40;
  shape.connect_failures = 3;
  shape.thresholds = {{"xmpp.ttd", "p99 < 5ms"},
                      {"xmpp.messages_sent", "rate > 10/s"},
                      {"xmpp.failures.connect", "count == 0"}};
  return shape;
}

}  // namespace

TEST(junit, one_testcase_per_threshold_with_the_measured_value_and_the_limit) {
  const auto xml = junit_xml(test::result_doc(slow_run()));
  auto doc = parse(xml);
  EXPECT_EQ(schema_problems(doc), std::vector<std::string>{}) << xml;
  const auto suite = doc.child("testsuites").child("testsuite");
  EXPECT_STREQ(suite.attribute("name").value(), "amoc.xmpp_chat");
  EXPECT_STREQ(suite.attribute("tests").value(), "3");
  EXPECT_STREQ(suite.attribute("failures").value(), "2");
  EXPECT_STREQ(suite.attribute("errors").value(), "0");
  EXPECT_STREQ(suite.attribute("time").value(), "5.000");
  EXPECT_STREQ(suite.attribute("timestamp").value(), "2026-11-18T11:06:40");
  EXPECT_STREQ(doc.child("testsuites").attribute("tests").value(), "3");
  EXPECT_STREQ(doc.child("testsuites").attribute("failures").value(), "2");
  std::vector<std::string> names, messages;
  for (const auto& tc : suite.children("testcase")) {
    names.emplace_back(tc.attribute("name").value());
    EXPECT_STREQ(tc.attribute("classname").value(), "amoc.xmpp_chat");
    messages.emplace_back(tc.child("failure").attribute("message").value());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"xmpp.ttd p99 < 5ms", "xmpp.messages_sent rate > 10/s",
                                             "xmpp.failures.connect count == 0"}));
  EXPECT_EQ(messages, (std::vector<std::string>{"p99 = 40.0ms, limit p99 < 5ms", "",
                                                "count = 3, limit count == 0"}));
  EXPECT_FALSE(suite.find_child_by_attribute("testcase", "name", "xmpp.messages_sent rate > 10/s")
                 .child("failure"));
  EXPECT_STREQ(suite.child("properties")
                 .find_child_by_attribute("property", "name", "scenario")
                 .attribute("value")
                 .value(),
               "xmpp_chat");
  // The end-to-end test validates a real run's file with xmllint against tests/apps/junit.xsd.
  if (const char* out = std::getenv("AMOC_JUNIT_OUT"))
    std::ofstream{out} << xml;
}

TEST(junit, the_structure_check_finds_what_the_schema_requires) {
  // The check above must be able to fail: documents missing required parts.
  const auto xml = junit_xml(test::result_doc(slow_run()));
  for (auto [from, to] : {std::pair{" hostname=\"", " host=\""}, std::pair{" time=\"0.000\"", ""},
                          std::pair{" type=\"threshold\"", ""},
                          std::pair{"xmpp_chat\" tests=\"3\"", "xmpp_chat\" tests=\"2\""},
                          std::pair{"<system-err/>", ""}}) {
    auto broken = xml;
    broken.replace(broken.find(from), std::string_view{from}.size(), to);
    EXPECT_FALSE(schema_problems(parse(broken)).empty()) << "not found: " << from << " -> " << to;
  }
}

TEST(junit, names_and_messages_are_escaped) {
  auto shape = slow_run();
  shape.scenario = "odd <\"scenario\"> & 'co'";
  auto result = test::result_doc(shape);
  result["thresholds"][0]["metric"] = "lat<&>\"'\x01\n";
  const auto xml = junit_xml(result);
  auto doc = parse(xml);
  EXPECT_EQ(schema_problems(doc), std::vector<std::string>{}) << xml;
  const auto suite = doc.child("testsuites").child("testsuite");
  EXPECT_STREQ(suite.attribute("name").value(), "amoc.odd_<\"scenario\">_&_'co'");
  EXPECT_STREQ(suite.child("testcase").attribute("name").value(),
               "lat<&>\"'\xEF\xBF\xBD\n p99 < 5ms");
}

TEST(junit, a_failed_run_is_an_error_and_rules_are_more_testcases) {
  const nlohmann::json failed{
    {"scenario", "dummy"}, {"state", "error"}, {"error", "scenario_init_failed: boom"}};
  auto doc = parse(junit_xml(failed, {{"", "xmpp.ttd p99 > +10%", false, "p99 grew", "details"}}));
  EXPECT_EQ(schema_problems(doc), std::vector<std::string>{});
  const auto suite = doc.child("testsuites").child("testsuite");
  EXPECT_STREQ(suite.attribute("tests").value(), "2");
  EXPECT_STREQ(suite.attribute("failures").value(), "1");
  EXPECT_STREQ(suite.attribute("errors").value(), "1");
  const auto run = suite.find_child_by_attribute("testcase", "name", "run");
  EXPECT_STREQ(run.child("error").attribute("message").value(), "scenario_init_failed: boom");
  const auto rule = suite.find_child_by_attribute("testcase", "name", "xmpp.ttd p99 > +10%");
  EXPECT_STREQ(rule.attribute("classname").value(), "amoc.dummy");
  EXPECT_STREQ(rule.child("failure").attribute("type").value(), "rule");
  EXPECT_STREQ(rule.child("failure").text().get(), "details");
}
