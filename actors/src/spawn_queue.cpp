#include "spawn_queue.hpp"

#include <algorithm>

namespace amoc::detail {

void spawn_queue::push(std::uint64_t first, std::uint64_t last, time_point now) {
  if (first > last)
    return;
  if (ranges_.empty())
    next_due_ = std::max(next_due_, now);
  ranges_.push_back({first, last});
  size_ += last - first + 1;
}

std::uint64_t spawn_queue::pop_front() {
  auto& r = ranges_.front();
  const auto id = r.first;
  if (r.first == r.last)
    ranges_.pop_front();
  else
    ++r.first;
  --size_;
  return id;
}

std::uint64_t spawn_queue::drop_newest(std::uint64_t n) {
  std::uint64_t dropped = 0;
  while (dropped < n && !ranges_.empty()) {
    auto& r = ranges_.back();
    const auto take = std::min(n - dropped, r.last - r.first + 1);
    dropped += take;
    if (take == r.last - r.first + 1)
      ranges_.pop_back();
    else
      r.last -= take;
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
