#include "amoc/metrics.hpp"

#include <atomic>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "amoc/hdr_histogram.hpp"
#include "amoc/metrics_snapshot.hpp"
#include "metrics_shards.hpp"

namespace amoc::metrics {

namespace detail {

namespace {

// Threads take shard numbers in turn: two threads recording at once rarely
// touch the same cache lines, so a sample costs two uncontended atomic adds.
std::size_t shard_of_this_thread() noexcept {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed);
  return mine % hdr_shards::shard_count;
}

}  // namespace

hdr_shards::hdr_shards() = default;

hdr_shards::~hdr_shards() {
  for (auto& s : shards_)
    std::free(s.load(std::memory_order_relaxed));
}

// calloc: a large zeroed block comes straight from mmap, so the counters
// cost memory only where samples land (a few pages, latencies cluster).
hdr_shards::shard* hdr_shards::shard_for_this_thread() {
  auto& slot = shards_[shard_of_this_thread()];
  if (auto* s = slot.load(std::memory_order_acquire))
    return s;
  auto* fresh = static_cast<shard*>(std::calloc(1, sizeof(shard)));
  if (!fresh)
    throw std::bad_alloc{};
  shard* expected = nullptr;
  if (slot.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel))
    return fresh;
  std::free(fresh);
  return expected;
}

void hdr_shards::record(std::uint64_t micros) noexcept {
  shard* s;
  try {
    s = shard_for_this_thread();
  } catch (const std::bad_alloc&) {
    return;  // out of memory: losing a sample beats ending the user
  }
  const auto v = std::min(micros, hdr_histogram::highest_trackable);
  const auto i = hdr_histogram::index_of(v);
  std::atomic_ref{s->counts[i]}.fetch_add(1, std::memory_order_relaxed);
  std::atomic_ref{s->sum}.fetch_add(v, std::memory_order_relaxed);
  // Raised rarely (latencies cluster): usually one load that finds it high enough.
  std::atomic_ref used{s->used};
  for (auto seen = used.load(std::memory_order_relaxed); seen < i + 1;)
    if (used.compare_exchange_weak(seen, i + 1, std::memory_order_relaxed))
      break;
}

hdr_histogram hdr_shards::snapshot() const {
  hdr_histogram result;
  std::vector<std::uint64_t> counts;
  for (const auto& slot : shards_) {
    auto* s = slot.load(std::memory_order_acquire);
    if (!s)
      continue;
    // Only up to the highest counter used (a record racing with this one may
    // or may not be included, as before).
    const auto used = std::min<std::size_t>(
      std::atomic_ref{s->used}.load(std::memory_order_relaxed), hdr_histogram::counts_size);
    counts.resize(used);
    for (std::size_t i = 0; i < used; ++i)
      counts[i] = std::atomic_ref{s->counts[i]}.load(std::memory_order_relaxed);
    result.add_counts(counts.data(), used, std::atomic_ref{s->sum}.load(std::memory_order_relaxed));
  }
  return result;
}

// Only non-zero counters are written: untouched pages of a shard stay unmapped.
void hdr_shards::reset() noexcept {
  for (const auto& slot : shards_) {
    auto* s = slot.load(std::memory_order_acquire);
    if (!s)
      continue;
    const auto used = std::min<std::size_t>(
      std::atomic_ref{s->used}.load(std::memory_order_relaxed), hdr_histogram::counts_size);
    for (std::size_t i = 0; i < used; ++i)
      if (std::atomic_ref{s->counts[i]}.load(std::memory_order_relaxed) != 0)
        std::atomic_ref{s->counts[i]}.store(0, std::memory_order_relaxed);
    std::atomic_ref{s->sum}.store(0, std::memory_order_relaxed);
  }
}

}  // namespace detail

histogram::histogram() : data_(std::make_unique<detail::hdr_shards>()) {}

histogram::~histogram() = default;

void histogram::record(duration d) noexcept {
  const auto ns = d.count();
  data_->record(ns > 0 ? static_cast<std::uint64_t>(ns) / 1000 : 0);
}

hdr_histogram histogram::snapshot() const { return data_->snapshot(); }

void histogram::reset() noexcept { data_->reset(); }

struct registry::impl {
  // Node-based maps: references handed out stay valid as entries are added.
  std::mutex mutex;
  std::map<std::string, metrics::counter, std::less<>> counters;
  std::map<std::string, metrics::gauge, std::less<>> gauges;
  std::map<std::string, metrics::histogram, std::less<>> histograms;
  std::map<std::type_index, std::shared_ptr<void>> attachments;

  template <class Map>
  typename Map::mapped_type& find_or_add(Map& map, std::string_view name) {
    std::lock_guard guard{mutex};
    auto it = map.find(name);
    if (it == map.end())
      it = map.try_emplace(std::string{name}).first;
    return it->second;
  }
};

registry::registry() : impl_(std::make_unique<impl>()) {}

registry::~registry() = default;

counter& registry::counter(std::string_view name) {
  return impl_->find_or_add(impl_->counters, name);
}

gauge& registry::gauge(std::string_view name) { return impl_->find_or_add(impl_->gauges, name); }

histogram& registry::histogram(std::string_view name) {
  return impl_->find_or_add(impl_->histograms, name);
}

void* registry::attach(const std::type_info& type, std::shared_ptr<void> (*make)(registry&)) {
  {
    std::lock_guard guard{impl_->mutex};
    if (auto it = impl_->attachments.find(type); it != impl_->attachments.end())
      return it->second.get();
  }
  // Built outside the lock: the constructor looks metrics up in this registry.
  auto fresh = make(*this);
  std::lock_guard guard{impl_->mutex};
  return impl_->attachments.try_emplace(type, std::move(fresh)).first->second.get();
}

// Values are read under the lock only to keep the maps stable; recording
// never takes it, so users go on recording while a snapshot is taken.
snapshot registry::snapshot(bool with_histograms) const {
  metrics::snapshot s;
  std::lock_guard guard{impl_->mutex};
  for (const auto& [name, c] : impl_->counters)
    s.counters.emplace(name, c.value());
  for (const auto& [name, g] : impl_->gauges)
    s.gauges.emplace(name, g.value());
  if (with_histograms)
    for (const auto& [name, h] : impl_->histograms)
      s.histograms.emplace(name, h.snapshot());
  return s;
}

void registry::reset() {
  std::lock_guard guard{impl_->mutex};
  for (auto& [_, c] : impl_->counters)
    c.reset();
  for (auto& [_, g] : impl_->gauges)
    g.set(0);
  for (auto& [_, h] : impl_->histograms)
    h.reset();
}

}  // namespace amoc::metrics
