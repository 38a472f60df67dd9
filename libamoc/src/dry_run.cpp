#include <algorithm>
#include <cstdio>
#include <sstream>

#include "amoc/id_range.hpp"
#include "amoc/run_file.hpp"
#include "amoc/settings.hpp"

namespace amoc {

namespace {

// Most lines of starts and stops printed; the rest is summed up.
constexpr std::size_t max_lines = 200;

std::string seconds(duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "+%.3fs", std::chrono::duration<double>(d).count());
  return buf;
}

// "4 -> a, 5 -> b" for a few ids, "4..100/3 -> a, 5..98/3 -> b" for many.
std::string placement(std::uint64_t first_of_run, std::uint64_t first, std::uint64_t count,
                      const std::vector<std::string>& nodes) {
  const auto m = nodes.size();
  std::string text;
  for (std::size_t k = 0; k < std::min<std::uint64_t>(m, count); ++k) {
    const auto id = first + k;
    const auto& node = nodes[(id - first_of_run) % m];
    const id_range share{id, (count - k + m - 1) / m, m};
    text += (text.empty() ? "" : ", ") + (share.count == 1 ? std::to_string(id) : to_string(share))
            + " -> " + node;
  }
  return text;
}

struct printer {
  std::ostringstream out;
  std::size_t lines = 0;
  std::size_t skipped = 0;
  duration last{};

  void line(duration at, const std::string& what) {
    last = at;
    if (lines++ < max_lines)
      out << "  " << seconds(at) << "  " << what << "\n";
    else
      ++skipped;
  }
  std::string finish() {
    if (skipped > 0)
      out << "  ... " << skipped << " more, the last at " << seconds(last) << "\n";
    return out.str();
  }
};

void print_stages(const run_file& run, const std::vector<std::string>& nodes, printer& p) {
  std::uint64_t next = run.first_id;
  for (const auto& step : run.stages.steps()) {
    if (step.delta > 0) {
      const auto n = static_cast<std::uint64_t>(step.delta);
      p.line(step.at,
             "start " + std::to_string(n) + ": " + placement(run.first_id, next, n, nodes));
      next += n;
    } else {
      p.line(step.at, "stop the newest " + std::to_string(-step.delta) + " (gracefully)");
    }
  }
}

// Without stages every node spawns its share of the ids one interarrival apart.
void print_interarrival(const run_file& run, const std::vector<std::string>& nodes,
                        duration interarrival, printer& p) {
  const auto m = nodes.size();
  const auto count = run.last_id - run.first_id + 1;
  for (std::uint64_t i = 0; i * m < count; ++i) {
    const auto first = run.first_id + i * m;
    const auto n = std::min<std::uint64_t>(m, count - i * m);
    p.line(interarrival * static_cast<duration::rep>(i),
           "start " + std::to_string(n) + ": " + placement(run.first_id, first, n, nodes));
  }
}

}  // namespace

std::string dry_run(const run_file& run, config::store& store) {
  // The defaults of interarrival and user_rate, as a run would declare them.
  store.declare(builtin_variables());
  auto nodes = run.nodes;
  if (nodes.empty())
    nodes = store.get<std::vector<std::string>>("nodes", {});
  const bool local = nodes.empty();
  if (local)
    nodes = {"local"};
  store.set("node_count", static_cast<std::int64_t>(nodes.size()));
  const auto interarrival = node_interarrival(store);
  std::ostringstream head;
  head << "scenario " << run.scenario << ": users " << run.first_id << ".." << run.last_id
       << (local ? " on this node" : " over " + std::to_string(nodes.size()) + " node(s)");
  if (run.max_duration)
    head << ", duration " << to_string(*run.max_duration);
  head << "\n";
  printer p;
  if (run.stages.empty()) {
    head << "pace: one user every " << to_string(interarrival) << " per node";
    if (store.get<double>("user_rate", 0.0) > 0)
      head << " (user_rate " << store.get<double>("user_rate") << "/min over the cluster)";
    head << "\n";
    print_interarrival(run, nodes, interarrival, p);
  } else {
    for (std::size_t i = 0; i < run.stages.stages.size(); ++i) {
      const auto& s = run.stages.stages[i];
      head << "stage " << i + 1 << ": "
           << (s.ramp_to ? "ramp to " + std::to_string(*s.ramp_to) + " users over "
                         : std::string{"hold for "})
           << to_string(s.span) << "\n";
    }
    head << "the plan ends at " << seconds(run.stages.total())
         << (run.stages.stages.back().ramp_to == std::optional<std::uint64_t>{0}
               ? " with no user left"
               : ", then the remaining users stop gracefully")
         << "\n";
    print_stages(run, nodes, p);
  }
  return head.str() + p.finish();
}

}  // namespace amoc
