#include "summary.hpp"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <vector>

#include "amoc/error.hpp"
#include "amoc/metrics_format.hpp"

namespace amoc::cli {

namespace {

double seconds(duration d) { return std::chrono::duration<double>(d).count(); }

// A text table: the first column left-aligned, the others right-aligned.
class table {
public:
  explicit table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  void print(std::ostream& out) const {
    std::vector<std::size_t> width(rows_.front().size(), 0);
    for (const auto& row : rows_)
      for (std::size_t i = 0; i < row.size(); ++i)
        width[i] = std::max(width[i], row[i].size());
    for (const auto& row : rows_) {
      out << (&row == &rows_.front() ? "" : "  ") << row[0]
          << std::string(width[0] - row[0].size() + (&row == &rows_.front() ? 2 : 0), ' ');
      for (std::size_t i = 1; i < row.size(); ++i)
        out << std::string(width[i] - row[i].size() + 3, ' ') << row[i];
      out << "\n";
    }
  }

private:
  std::vector<std::vector<std::string>> rows_;
};

void print_thresholds(std::ostream& out, const run_result& result) {
  if (result.thresholds.empty())
    return;
  out << "\nthresholds\n";
  std::size_t metric_width = 0, expr_width = 0;
  for (const auto& t : result.thresholds) {
    metric_width = std::max(metric_width, t.criterion.metric.size());
    expr_width = std::max(expr_width, t.criterion.expression.size());
  }
  for (const auto& t : result.thresholds) {
    out << "  " << (t.passed ? "✓ " : "✗ ") << t.criterion.metric
        << std::string(metric_width - t.criterion.metric.size() + 2, ' ') << t.criterion.expression
        << std::string(expr_width - t.criterion.expression.size() + 2, ' ') << t.describe() << "\n";
  }
}

// The per-node rates a table shows: those some node recorded.
std::vector<std::pair<std::string, std::string>> node_rates(const std::vector<node_status>& nodes) {
  std::vector<std::pair<std::string, std::string>> shown;
  for (auto [counter, label] : {std::pair{"xmpp.messages_sent", "msgs sent/s"},
                                std::pair{"xmpp.messages_received", "msgs recv/s"},
                                std::pair{"http.requests", "requests/s"}})
    if (std::any_of(nodes.begin(), nodes.end(),
                    [&](auto& n) { return n.counters.contains(counter); }))
      shown.emplace_back(counter, label);
  return shown;
}

// One row per worker node: its users by end reason, message rates, failures,
// and why it is down.
void print_nodes(std::ostream& out, const run_result& result) {
  const auto& nodes = result.final_status.nodes;
  if (nodes.empty())
    return;
  const double wall = seconds(result.wall_time);
  const auto rates = node_rates(nodes);
  std::vector<std::string> header{"nodes", "up", "started"};
  for (auto reason : all_exit_reasons)
    header.emplace_back(to_string(reason));
  for (const auto& [_, label] : rates)
    header.push_back(label);
  header.emplace_back("failures");
  header.emplace_back("");
  table t{std::move(header)};
  for (const auto& n : nodes) {
    std::vector<std::string> row{n.name, n.up ? "yes" : "no", std::to_string(n.users.started)};
    for (auto reason : all_exit_reasons)
      row.push_back(std::to_string(n.users.ended[reason]));
    for (const auto& [counter, _] : rates) {
      const auto it = n.counters.find(counter);
      const auto total = it == n.counters.end() ? 0 : it->second;
      row.push_back(metrics::format_rate(wall > 0 ? static_cast<double>(total) / wall : 0));
    }
    row.push_back(metrics::format_count(metrics::failures_in(n.counters)));
    row.push_back(n.error);
    t.add(std::move(row));
  }
  out << "\n";
  t.print(out);
}

void print_metrics(std::ostream& out, const run_result& result) {
  const auto& m = result.metrics;
  const double wall = seconds(result.wall_time);
  if (!m.counters.empty()) {
    table t{{"counters", "total", "rate/s"}};
    for (const auto& [name, total] : m.counters)
      t.add({name, metrics::format_count(total),
             metrics::format_rate(wall > 0 ? static_cast<double>(total) / wall : 0)});
    out << "\n";
    t.print(out);
  }
  if (!m.gauges.empty()) {
    table t{{"gauges", "value", "min", "max"}};
    for (const auto& [name, value] : m.gauges) {
      auto low = value, high = value;
      if (auto it = result.series.gauge_ranges().find(name);
          it != result.series.gauge_ranges().end()) {
        low = std::min(low, it->second.low);
        high = std::max(high, it->second.high);
      }
      t.add({name, std::to_string(value), std::to_string(low), std::to_string(high)});
    }
    out << "\n";
    t.print(out);
  }
  if (!m.histograms.empty()) {
    table t{{"latency (ms)", "count", "min", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"}};
    for (const auto& [name, h] : m.histograms) {
      if (h.empty()) {
        t.add({name, "0", "-", "-", "-", "-", "-", "-", "-", "-"});
        continue;
      }
      auto ms = [](std::uint64_t us) { return metrics::format_ms(static_cast<double>(us)); };
      const auto p = h.standard_percentiles();
      t.add({name, metrics::format_count(h.count()), ms(p.min), metrics::format_ms(h.mean()),
             ms(p.p50), ms(p.p90), ms(p.p95), ms(p.p99), ms(p.p999), ms(p.max)});
    }
    out << "\n";
    t.print(out);
  }
}

}  // namespace

std::string summary(const run_file& run, const run_result& result) {
  const auto& st = result.final_status;
  std::ostringstream out;
  out << "\nrun " << to_string(st.state) << ": scenario " << run.scenario << ", users "
      << run.first_id << ".." << (st.next_id ? st.next_id - 1 : run.last_id) << ", wall time "
      << std::fixed;
  out.precision(2);
  out << seconds(result.wall_time) << " s\n";
  if (!st.error.empty())
    out << "  error: " << st.error << "\n";
  if (result.stopped_by_duration || result.interrupted)
    out << (result.interrupted ? "  interrupted" : "  duration reached") << ": users were stopped"
        << (result.forced ? " by force" : " gracefully") << "\n";
  out << "  users started: " << st.users.started << "\n  users ended:  ";
  for (auto reason : all_exit_reasons)
    out << " " << to_string(reason) << " " << st.users.ended[reason];
  out << "\n";
  if (result.users_did_not_stop > 0)
    out << "  " << result.users_did_not_stop
        << " users did not stop (scenario code that never yields): the run ended without them\n";
  if (const auto lost = result.users_lost(); lost > 0)
    out << "  " << lost << " users were lost with their node: the run's numbers are incomplete\n";
  print_nodes(out, result);
  print_thresholds(out, result);
  print_metrics(out, result);
  if (result.thresholds_crossed())
    out << "\nthresholds crossed: "
        << std::count_if(result.thresholds.begin(), result.thresholds.end(),
                         [](const threshold_result& t) { return !t.passed; })
        << " of " << result.thresholds.size() << "\n";
  return out.str();
}

}  // namespace amoc::cli
