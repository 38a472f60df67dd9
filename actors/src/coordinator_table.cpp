#include "coordinator_table.hpp"

#include <stdexcept>

namespace amoc::detail {

using coordinator::event;
using coordinator::event_type;
using coordinator::member;

namespace {

std::string where(const std::string& name, std::size_t index) {
  return "coordinator " + name + ", plan item " + std::to_string(index + 1) + ": ";
}

void check_item(const std::string& name, std::size_t index, const coordinator::item& it) {
  if (it.actions.empty())
    throw std::invalid_argument(where(name, index) + "has no actions");
  if (it.min > it.max)
    throw std::invalid_argument(where(name, index) + "range " + std::to_string(it.min) + ".."
                                + std::to_string(it.max) + " is empty");
  for (const auto& a : it.actions) {
    const int kinds = (a.on_count ? 1 : 0) + (a.on_group_fn ? 1 : 0) + (a.on_pair_fn ? 1 : 0);
    if (kinds != 1)
      throw std::invalid_argument(where(name, index) + "an action needs exactly one function");
    if (it.min == 0 && a.on_pair_fn)
      throw std::invalid_argument(where(name, index) + "pair actions need a group size, not `all`");
  }
}

// Every action of an item on one group, as calls to run outside the lock.
void schedule(const coordinator::item& it, event ev, std::vector<member> members,
              std::vector<std::function<void()>>& calls) {
  auto shared = std::make_shared<std::vector<member>>(std::move(members));
  for (const auto& a : it.actions) {
    if (a.on_count)
      calls.emplace_back([f = a.on_count, ev] { f(ev); });
    else if (a.on_group_fn)
      calls.emplace_back([f = a.on_group_fn, ev, shared] { f(ev, *shared); });
    else
      calls.emplace_back([f = a.on_pair_fn, ev, shared] {
        auto& ms = *shared;
        if (ms.size() == 1)
          f(ev, ms[0], nullptr);
        for (std::size_t i = 0; i < ms.size(); ++i)
          for (std::size_t j = i + 1; j < ms.size(); ++j)
            f(ev, ms[i], &ms[j]);
      });
  }
}

}  // namespace

void coordinator_table::start(const std::string& name, coordinator::plan p, duration timeout) {
  if (entries_.count(name))
    throw std::invalid_argument("coordinator " + name + " is already started");
  if (p.empty())
    throw std::invalid_argument("coordinator " + name + ": the plan has no items");
  entry e;
  e.timeout = timeout;
  for (std::size_t i = 0; i < p.size(); ++i) {
    check_item(name, i, p[i]);
    e.sized += p[i].min > 0 ? 1 : 0;
    e.items.push_back(group_state{std::move(p[i]), {}, 0});
  }
  for (auto& g : e.items)
    draw_target(e, g);
  entries_.emplace(name, std::move(e));
}

void coordinator_table::draw_target(entry& e, group_state& g) {
  const auto& it = g.item;
  g.target = it.min == it.max
               ? it.min
               : std::uniform_int_distribution<std::size_t>{it.min, it.max}(e.random);
}

void coordinator_table::act(entry& e, group_state& g, event_type type, firing& out) {
  if (g.members.empty())
    return;
  const event ev{type, g.members.size()};
  std::vector<member> members;
  members.reserve(g.members.size());
  for (const auto& s : g.members)
    members.push_back(s->who);
  schedule(g.item, ev, std::move(members), out.calls);
  // With sized items, a user waits for those only; `all` items release
  // users only when the plan has nothing else.
  const bool counts = g.item.min > 0 || e.sized == 0;
  for (auto& s : g.members)
    if (counts && s->remaining > 0 && --s->remaining == 0)
      out.grants.emplace_back(s, ev);
  g.members.clear();
  draw_target(e, g);
}

coordinator_table::firing coordinator_table::add(const std::string& name, slot_ptr s,
                                                 time_point now) {
  auto it = entries_.find(name);
  if (it == entries_.end())
    throw std::invalid_argument("no coordinator named " + name + " was started");
  auto& e = it->second;
  e.last_add = now;
  s->remaining = e.sized > 0 ? e.sized : e.items.size();
  firing out;
  for (auto& g : e.items) {
    g.members.push_back(s);
    if (g.item.min > 0 && g.members.size() >= g.target)
      act(e, g, event_type::coordinate, out);
  }
  return out;
}

coordinator_table::firing coordinator_table::fire(const std::string& name, event_type type) {
  firing out;
  auto it = entries_.find(name);
  if (it == entries_.end())
    return out;
  auto& e = it->second;
  // Sized items first, then `all`: the original's order.
  for (auto& g : e.items)
    if (g.item.min > 0)
      act(e, g, type, out);
  for (auto& g : e.items)
    if (g.item.min == 0)
      act(e, g, type, out);
  e.last_add.reset();
  if (type == event_type::stop)
    entries_.erase(it);
  return out;
}

std::optional<coordinator_table::time_point>
coordinator_table::deadline(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end() || !it->second.last_add || it->second.timeout == duration::max())
    return std::nullopt;
  return *it->second.last_add + it->second.timeout;
}

std::vector<std::string> coordinator_table::names() const {
  std::vector<std::string> result;
  for (const auto& [name, e] : entries_)
    if (e.last_add)
      result.push_back(name);
  return result;
}

coordinator_table::firing coordinator_table::clear() {
  firing out;
  for (auto& [name, e] : entries_)
    for (auto& g : e.items)
      for (auto& s : g.members)
        if (s->remaining > 0) {
          s->remaining = 0;
          out.grants.emplace_back(s, event{event_type::stop, 0});
        }
  entries_.clear();
  return out;
}

}  // namespace amoc::detail
