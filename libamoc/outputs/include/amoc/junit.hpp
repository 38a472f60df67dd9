#pragma once

/// `amoc run --junit FILE`: a run's verdicts as JUnit XML, the format CI
/// servers (Jenkins, GitLab, GitHub test reporters) show as test results.
///
///   <testsuites name="amoc" tests= failures= errors= time=>
///     <testsuite name="amoc.SCENARIO" tests= failures= errors= skipped="0" time=
///                timestamp= hostname= id="0" package="amoc">
///       <properties> scenario, state, comment, started_at, users_started </properties>
///       <testcase classname="amoc.SCENARIO" name="METRIC EXPRESSION" time="0">
///         <failure type="threshold" message="p99 = 812ms, limit p99 < 500ms">...</failure>
///       </testcase>                                    (one per threshold)
///       <testcase name="run"> <error type="run"/> </testcase>   (only when the run failed)
///       <system-out/> <system-err/>
///     </testsuite>
///   </testsuites>
///
/// It carries every attribute and element that the common JUnit schemas
/// require (Ant's JUnit.xsd, Jenkins' junit-10.xsd): thresholds are judged
/// once, at the end, so a test case takes no time; the suite's time is the
/// run's wall time. A run that ended in error or crashed adds a test case
/// `run` with an `<error>`: its thresholds say nothing then.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace amoc {

/// A verdict beyond the run file's thresholds, as one more test case (the
/// regression rules of `amoc run --baseline`).
struct junit_case {
  std::string classname;  ///< empty: the suite's, `amoc.SCENARIO`
  std::string name;
  bool passed = true;
  std::string message;  ///< why it failed: the failure's `message`
  std::string details;  ///< the failure's text
};

/// The JUnit document of a result document (amoc/result_json.hpp), with
/// `more` test cases after the thresholds.
[[nodiscard]] std::string junit_xml(const nlohmann::json& result,
                                    const std::vector<junit_case>& more = {});

/// `text` as XML character data or attribute value: `& < > " '` escaped,
/// tab, line feed and carriage return as character references (so attribute
/// values keep them), other control characters (not allowed in XML 1.0) as U+FFFD.
[[nodiscard]] std::string xml_escape(const std::string& text);

}  // namespace amoc
