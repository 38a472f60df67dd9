#include "amoc/series_csv.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "result_docs.hpp"

using namespace amoc;

namespace {

// RFC 4180 fields of one line (quotes doubled inside quoted fields).
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"')
      out.back() += '"', ++i;
    else if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

std::vector<std::vector<std::string>> table(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in{csv};
  for (std::string line; std::getline(in, line);)
    rows.push_back(fields(line));
  return rows;
}

}  // namespace

TEST(series_csv, one_row_per_interval_and_metric_with_the_columns_of_its_kind) {
  test::run_shape shape;
  shape.connect_failures = 3;
  const auto csv = series_csv(test::result_doc(shape));
  const auto rows = table(csv);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], fields(series_csv_header()));
  EXPECT_EQ(series_csv_header(), "t_s,interval_s,metric,kind,count,rate,value,min_ms,mean_ms,"
                                 "p50_ms,p90_ms,p95_ms,p99_ms,p999_ms,max_ms");
  // 5 intervals x (3 counters, 1 gauge, 1 histogram).
  ASSERT_EQ(rows.size(), 1u + 5 * 5) << csv;
  std::map<std::string, std::vector<std::string>> second;  // metric -> its row at t = 2
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].size(), 15u) << "row " << i;
    if (rows[i][0] == "2.0")
      second[rows[i][2]] = rows[i];
  }
  ASSERT_EQ(second.size(), 5u) << csv;
  EXPECT_EQ(second["xmpp.messages_sent"],
            (std::vector<std::string>{"2.0", "1.0", "xmpp.messages_sent", "counter", "40", "40.0",
                                      "", "", "", "", "", "", "", "", ""}));
  EXPECT_EQ(second["xmpp.failures.connect"][4], "3");
  EXPECT_EQ(second["users.running"],
            (std::vector<std::string>{"2.0", "1.0", "users.running", "gauge", "", "", "10", "", "",
                                      "", "", "", "", "", ""}));
  EXPECT_EQ(second["xmpp.ttd"],
            (std::vector<std::string>{"2.0", "1.0", "xmpp.ttd", "histogram", "40", "40.0", "",
                                      "2.0", "2.0", "2.0", "2.0", "2.0", "2.0", "2.0", "2.0"}));
  // Rows go by interval: the first five are t = 1, counters first.
  EXPECT_EQ(rows[1][0], "1.0");
  EXPECT_EQ(rows[1][3], "counter");
  EXPECT_EQ(rows[5][3], "histogram");
  EXPECT_EQ(rows[6][0], "2.0");
}

TEST(series_csv, odd_names_are_quoted_and_empty_intervals_leave_cells_empty) {
  auto doc = test::result_doc({});
  auto& counters = doc["series"]["counters"];
  counters["a,b\"c"] = counters["xmpp.messages_sent"];
  doc["series"]["histograms"]["xmpp.ttd"]["count"][0] = 0;
  for (auto f : {"min_ms", "mean_ms", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "p999_ms", "max_ms"})
    doc["series"]["histograms"]["xmpp.ttd"][f][0] = nullptr;
  const auto csv = series_csv(doc);
  EXPECT_NE(csv.find("1.0,1.0,\"a,b\"\"c\",counter,40,40.0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("1.0,1.0,xmpp.ttd,histogram,0,0.0,,,,,,,,,\n"), std::string::npos) << csv;
}

TEST(series_csv, a_run_without_series_gives_the_header_alone) {
  const nlohmann::json failed{{"scenario", "dummy"}, {"state", "error"}, {"error", "boom"}};
  EXPECT_EQ(series_csv(failed), series_csv_header() + "\n");
}
