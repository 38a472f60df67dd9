#include "spawn_queue.hpp"

#include <algorithm>

namespace amoc::detail {

void spawn_queue::push(id_range ids, time_point now) {
  if (ids.empty())
    return;
  if (ranges_.empty())
    next_due_ = std::max(next_due_, now);
  ranges_.push_back(ids);
  size_ += ids.count;
}

std::uint64_t spawn_queue::pop_front() {
  auto& r = ranges_.front();
  const auto id = r.first;
  r.first += r.stride;
  if (--r.count == 0)
    ranges_.pop_front();
  --size_;
  return id;
}

void spawn_queue::set_interarrival(duration interarrival, time_point now) {
  interarrival_ = interarrival;
  if (!ranges_.empty())
    next_due_ = std::min(next_due_, now + interarrival);
}

std::uint64_t spawn_queue::drop_newest(std::uint64_t n) {
  std::uint64_t dropped = 0;
  while (dropped < n && !ranges_.empty()) {
    auto& r = ranges_.back();
    const auto take = std::min(n - dropped, r.count);
    dropped += take;
    r.count -= take;
    if (r.count == 0)
      ranges_.pop_back();
  }
  size_ -= dropped;
  return dropped;
}

std::optional<spawn_queue::time_point> spawn_queue::next_due() const {
  if (ranges_.empty())
    return std::nullopt;
  return next_due_;
}

}  // namespace amoc::detail
