#include "live_feed.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "amoc/runtime.hpp"
#include "status_json.hpp"

namespace amoc::rest {

namespace {

using json = nlohmann::json;
using clock = std::chrono::steady_clock;

std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

double ms(double micros) { return std::round(micros) / 1000.0; }

json latency_json(const metrics::hdr_histogram& h) {
  return {{"count", h.count()},
          {"p50_ms", ms(static_cast<double>(h.value_at(50)))},
          {"p95_ms", ms(static_cast<double>(h.value_at(95)))},
          {"p99_ms", ms(static_cast<double>(h.value_at(99)))},
          {"max_ms", ms(static_cast<double>(h.max()))}};
}

// Totals and per-second rates of the counters, the interval's latencies.
// The executor's view of the current or last run: its thresholds so far and
// whether it ended (the dashboard then links the report).
json run_json(const std::shared_ptr<execution>& run) {
  if (!run)
    return nullptr;
  auto thresholds = json::array();
  for (const auto& t : run->thresholds())
    thresholds.push_back({{"metric", t.criterion.metric},
                          {"expression", t.criterion.expression},
                          {"passed", t.passed},
                          {"actual", t.actual ? json(*t.actual) : json(nullptr)}});
  return {{"done", run->done()}, {"thresholds", thresholds}};
}

json metrics_json(const metrics::snapshot& now, const metrics::snapshot& interval, double seconds) {
  auto counters = json::object(), gauges = json::object(), latency = json::object();
  for (const auto& [name, total] : now.counters) {
    const auto it = interval.counters.find(name);
    const double delta = it == interval.counters.end() ? 0.0 : static_cast<double>(it->second);
    counters[name] = {{"total", total},
                      {"rate", seconds > 0 ? std::round(delta / seconds * 100) / 100 : 0.0}};
  }
  for (const auto& [name, value] : now.gauges)
    gauges[name] = value;
  for (const auto& [name, h] : interval.histograms)
    if (h.count() > 0)
      latency[name] = latency_json(h);
  return {{"counters", counters}, {"gauges", gauges}, {"latency", latency}};
}

}  // namespace

live_feed::live_feed(runtime& rt, std::chrono::milliseconds interval, std::size_t keep)
    : rt_(rt), interval_(interval), keep_(keep), started_(clock::now()) {}

live_feed::~live_feed() {
  {
    std::lock_guard guard{mutex_};
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void live_feed::start() {
  thread_ = std::thread{[this] { run(); }};
}

void live_feed::run() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    lock.unlock();
    auto text = take_sample();
    lock.lock();
    samples_.push_back(std::move(text));
    while (samples_.size() > keep_)
      samples_.pop_front();
    std::erase_if(subscribers_, [&](const subscriber& s) { return !s(samples_.back(), false); });
    changed_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

std::string live_feed::take_sample() {
  auto st = rt_.status();
  auto record = rt_.last_execution();
  // Read after the status: a run it sees was started before this time, so a
  // run that starts at this sample never starts before it began.
  const auto now_at = clock::now();
  const auto wall = std::chrono::system_clock::now();
  json doc{{"time", unix_ms(wall)}};
  follow_run_start(st ? &*st : nullptr, record, wall);
  if (run_start_) {
    doc["run_start"] = unix_ms(*run_start_);
    doc["t"] = std::chrono::duration<double>(wall - *run_start_).count();
  } else {
    doc["run_start"] = nullptr;
    doc["t"] = std::chrono::duration<double>(now_at - started_).count();
  }
  if (st) {
    doc["status"] = to_string(st->state);
    doc["scenario"] = st->scenario;
    doc["error"] = st->error;
    doc["users"] = users_json(st->users);
    auto nodes = json::array();
    for (const auto& n : st->nodes)
      nodes.push_back(node_json(n));
    doc["nodes"] = nodes;
  } else {
    doc["status"] = "unknown";
  }
  doc["run"] = run_json(record);
  if (auto snap = rt_.metrics_snapshot()) {
    const double seconds =
      previous_ ? std::chrono::duration<double>(now_at - previous_at_).count() : 0.0;
    const auto interval = previous_ ? snap->since(*previous_) : metrics::snapshot{};
    doc.update(metrics_json(*snap, interval, seconds));
    previous_ = std::move(*snap);
    previous_at_ = now_at;
  }
  return doc.dump();
}

// A launched run (REST, `amoc run --rest`) knows its own start: a new record
// sets it. A run started without one (the console's `do` in the same
// process) starts, as far as the feed can tell, at the first sample that sees
// it going on: within one interval of the truth.
void live_feed::follow_run_start(const amoc::status* st, const std::shared_ptr<execution>& record,
                                 std::chrono::system_clock::time_point now) {
  const bool active =
    st && (st->state == run_state::running || st->state == run_state::terminating);
  if (record && record != record_) {
    record_ = record;
    run_start_ = record->result().started_at;
  } else if (active && !was_active_ && (!record_ || record_->done())) {
    run_start_ = now;
  }
  was_active_ = active;
}

void live_feed::subscribe(subscriber s) {
  std::lock_guard guard{mutex_};
  if (s(history(), true))
    subscribers_.push_back(std::move(s));
}

std::string live_feed::history() const {
  std::string out = "[";
  for (const auto& s : samples_) {
    if (out.size() > 1)
      out += ',';
    out += s;
  }
  return out + "]";
}

}  // namespace amoc::rest
