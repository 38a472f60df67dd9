#include "throttle_table.hpp"

#include <algorithm>

#include "amoc/defaults.hpp"

namespace amoc::detail {

using limit_kind = throttle::limit::kind;

throttle_table::entry& throttle_table::make(const std::string& name, const throttle_spec& spec) {
  auto [it, fresh] = entries_.try_emplace(name);
  auto& e = it->second;
  e.spec = spec;
  if (fresh && registry_) {
    e.requests = &registry_->counter("throttle." + name + ".requests");
    e.executions = &registry_->counter("throttle." + name + ".executions");
  }
  return e;
}

bool throttle_table::define(const std::string& name, const throttle::limit& how) {
  if (auto it = entries_.find(name); it != entries_.end())
    return it->second.spec.how == how;
  make(name, throttle_spec{how});
  return true;
}

void throttle_table::apply(const std::string& name, const std::optional<throttle_spec>& spec,
                           time_point now) {
  auto it = entries_.find(name);
  if (!spec) {
    if (it != entries_.end()) {
      grant_all(it->second);
      entries_.erase(it);
    }
    return;
  }
  // The last slot stays: the next action goes one new gap after it.
  release(make(name, *spec), now);
}

const throttle_spec* throttle_table::spec(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second.spec;
}

duration throttle_table::gap(const entry& e) const {
  const auto ns =
    static_cast<double>(e.spec.how.interval.count()) * static_cast<double>(nodes_) / e.spec.how.n;
  return duration{static_cast<duration::rep>(ns)};
}

bool throttle_table::take(entry& e, time_point now) {
  if (e.spec.unlocked)
    return true;
  if (e.spec.paused)
    return false;
  switch (e.spec.how.type) {
  case limit_kind::unlimited: return true;
  case limit_kind::parallel: return static_cast<double>(e.running) < e.spec.how.n;
  case limit_kind::rate: {
    if (e.spec.how.n <= 0)
      return false;
    const auto g = gap(e);
    auto slot = e.last_slot ? *e.last_slot + g : now;
    if (slot > now)
      return false;
    // Slots missed by a late tick (a busy CPU) still go, up to `catch_up`
    // worth, so the average holds; further behind, the throttle was idle:
    // start afresh instead of letting the missed slots through in a burst.
    if (now - slot >= std::max<duration>(g, defaults::runtime::throttle_catch_up))
      slot = now;
    e.last_slot = slot;
    return true;
  }
  }
  return false;
}

bool throttle_table::acquire(const std::string& name, waiter& w, time_point now) {
  auto it = entries_.find(name);
  if (it == entries_.end())
    return true;  // checked by the caller; a throttle stopped meanwhile lets it go
  auto& e = it->second;
  if (e.requests)
    e.requests->add();
  if (e.queue.empty() && take(e, now)) {
    if (e.executions)
      e.executions->add();
    if (w.keeps_place() && e.spec.how.type == limit_kind::parallel)
      ++e.running;
    return true;
  }
  e.queue.push_back(&w);
  return false;
}

void throttle_table::cancel(const std::string& name, waiter& w) {
  auto it = entries_.find(name);
  if (it == entries_.end())
    return;
  auto& q = it->second.queue;
  q.erase(std::remove(q.begin(), q.end(), &w), q.end());
}

void throttle_table::finished(const std::string& name, time_point now) {
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.running == 0)
    return;
  --it->second.running;
  release(it->second, now);
}

std::optional<throttle_table::time_point> throttle_table::release(entry& e, time_point now) {
  while (!e.queue.empty() && take(e, now)) {
    auto* w = e.queue.front();
    e.queue.pop_front();
    if (e.executions)
      e.executions->add();
    if (w->keeps_place() && e.spec.how.type == limit_kind::parallel)
      ++e.running;
    w->grant();
  }
  if (e.queue.empty() || e.spec.paused || e.spec.how.type != limit_kind::rate || e.spec.how.n <= 0)
    return std::nullopt;
  return *e.last_slot + gap(e);
}

std::optional<throttle_table::time_point> throttle_table::release_due(time_point now) {
  std::optional<time_point> next;
  for (auto& [name, e] : entries_)
    if (auto due = release(e, now); due && (!next || *due < *next))
      next = due;
  return next;
}

void throttle_table::grant_all(entry& e) {
  for (auto* w : e.queue)
    w->grant();
  e.queue.clear();
}

std::map<std::string, throttle_spec> throttle_table::specs() const {
  std::map<std::string, throttle_spec> result;
  for (const auto& [name, e] : entries_)
    result.emplace(name, e.spec);
  return result;
}

std::size_t throttle_table::queued(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? 0 : it->second.queue.size();
}

void throttle_table::clear() {
  for (auto& [name, e] : entries_)
    grant_all(e);
  entries_.clear();
}

}  // namespace amoc::detail
