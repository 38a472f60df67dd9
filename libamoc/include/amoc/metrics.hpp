#pragma once

/// Metrics for scenarios, protocol libraries and the runtime: counters, gauges
/// and latency histograms, created by name in a node's registry.
///
///   void init() override { sent_ = &metrics().counter("chat.sent"); }   // once
///   ... sent_->add();                                                   // hot path
///   co_await ...; u.metrics().histogram("chat.ttd").record(elapsed);
///
/// Recording is lock-free; looking a metric up by name takes a lock, so keep
/// the returned reference (it stays valid as long as the registry lives).

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <typeindex>
#include <typeinfo>

#include "amoc/config.hpp"
#include "amoc/hdr_histogram.hpp"

namespace amoc::metrics {

/// A monotonically increasing count (messages sent, failures).
class counter {
public:
  void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }
  /// Back to zero (the registry's per-run reset).
  void reset() noexcept { value_.store(0, std::memory_order_relaxed); }

private:
  std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down (open connections, users in a phase).
class gauge {
public:
  void set(std::int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t delta) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<std::int64_t> value_{0};
};

namespace detail {
class hdr_shards;
}

struct snapshot;  // amoc/metrics_snapshot.hpp

/// A latency histogram (HDR-style: fixed memory, mergeable, 3 significant
/// digits, 1 µs to over an hour). Recording is lock-free.
class histogram {
public:
  histogram();
  ~histogram();
  histogram(const histogram&) = delete;
  histogram& operator=(const histogram&) = delete;

  /// Records one latency sample (clamped to the histogram's range).
  void record(duration d) noexcept;

  /// Everything recorded so far, as a value (for reports and merging).
  [[nodiscard]] hdr_histogram snapshot() const;
  /// Forgets every sample (the registry's per-run reset). Samples recorded
  /// while it runs may survive it.
  void reset() noexcept;

private:
  std::unique_ptr<detail::hdr_shards> data_;
};

/// The metrics of one node: created on first use by name, never removed
/// while the registry lives.
class registry {
public:
  registry();
  ~registry();
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  /// The counter called `name` (created at zero on first use).
  [[nodiscard]] metrics::counter& counter(std::string_view name);
  /// The gauge called `name` (created at zero on first use).
  [[nodiscard]] metrics::gauge& gauge(std::string_view name);
  /// The latency histogram called `name` (created empty on first use).
  [[nodiscard]] metrics::histogram& histogram(std::string_view name);

  /// Every metric's current value, by name (include amoc/metrics_snapshot.hpp
  /// to use it). Without histograms it is cheap enough for a progress line.
  [[nodiscard]] metrics::snapshot snapshot(bool with_histograms = true) const;
  /// Sets every metric back to zero: a new run starts from zero. Metrics are
  /// never removed, so references handed out stay valid.
  void reset();

  /// A library's per-registry companion, built as `T(registry&)` on first use
  /// and kept as long as the registry: where a protocol library keeps the
  /// references to its metrics, so a connection looks them up only once.
  template <class T>
  [[nodiscard]] T& attachment() {
    return *static_cast<T*>(attach(typeid(T), [](registry& r) -> std::shared_ptr<void> {
      return std::make_shared<T>(r);
    }));
  }

private:
  void* attach(const std::type_info& type, std::shared_ptr<void> (*make)(registry&));

  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace amoc::metrics
