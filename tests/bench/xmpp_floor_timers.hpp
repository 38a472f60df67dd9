#pragma once

// The floor client's timers (tests/bench/xmpp_floor.cpp): a binary heap of
// items by deadline, each item in it at most once, so that the epoll loop
// waits exactly until the earliest one. Items live in a vector that does not
// reallocate while the heap is used, and have `deadline` (int64) and
// `heap_pos` (int32, -1 when not in the heap) members.

#include <cstdint>
#include <utility>
#include <vector>

namespace floor_client {

template <class Item>
class timer_heap {
public:
  explicit timer_heap(std::vector<Item>& items) : items_(items) {}

  void reserve(std::size_t n) { heap_.reserve(n); }
  bool empty() const { return heap_.empty(); }
  Item& earliest() { return items_[static_cast<std::size_t>(heap_.front())]; }

  void set(Item& item, std::int64_t deadline) {
    item.deadline = deadline;
    if (item.heap_pos < 0) {
      item.heap_pos = static_cast<std::int32_t>(heap_.size());
      heap_.push_back(static_cast<std::int32_t>(&item - items_.data()));
    }
    fix(static_cast<std::size_t>(item.heap_pos));
  }

  void cancel(Item& item) {
    if (item.heap_pos < 0)
      return;
    const auto i = static_cast<std::size_t>(item.heap_pos);
    swap(i, heap_.size() - 1);
    heap_.pop_back();
    item.heap_pos = -1;
    if (i < heap_.size())
      fix(i);
  }

private:
  Item& at(std::size_t i) { return items_[static_cast<std::size_t>(heap_[i])]; }
  bool earlier(std::size_t a, std::size_t b) { return at(a).deadline < at(b).deadline; }

  void swap(std::size_t a, std::size_t b) {
    std::swap(heap_[a], heap_[b]);
    at(a).heap_pos = static_cast<std::int32_t>(a);
    at(b).heap_pos = static_cast<std::int32_t>(b);
  }

  // Up while earlier than its parent, then down while later than a child.
  void fix(std::size_t i) {
    for (; i > 0 && earlier(i, (i - 1) / 2); i = (i - 1) / 2)
      swap(i, (i - 1) / 2);
    for (;;) {
      std::size_t l = 2 * i + 1, r = l + 1, m = i;
      if (l < heap_.size() && earlier(l, m))
        m = l;
      if (r < heap_.size() && earlier(r, m))
        m = r;
      if (m == i)
        return;
      swap(i, m);
      i = m;
    }
  }

  std::vector<Item>& items_;
  std::vector<std::int32_t> heap_;  // indexes into items_
};

}  // namespace floor_client
