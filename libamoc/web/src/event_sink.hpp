#pragma once

// The writing end of one event stream: any thread queues chunks; the session
// takes them on the I/O thread. The backlog is bounded, so a client that
// stops reading costs at most `max_backlog` bytes before its stream ends.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/io_context.hpp>

#include "amoc/web_server.hpp"

namespace amoc::web::detail {

class session;

class event_sink final : public stream_sink {
public:
  event_sink(std::weak_ptr<session> owner, boost::asio::io_context::executor_type io,
             std::size_t max_backlog)
      : owner_(std::move(owner)), io_(io), max_backlog_(max_backlog) {}

  bool write(std::string chunk) override;

  // On the I/O thread:
  /// Everything queued, as one piece.
  [[nodiscard]] std::string take();
  /// A piece of `n` bytes went out.
  void written(std::size_t n);
  /// Ends the stream: later writes return false. After this, nothing is ever
  /// posted to the I/O context again, so the server may destroy it.
  void close();
  [[nodiscard]] bool closed();

private:
  std::mutex mutex_;
  std::weak_ptr<session> owner_;
  boost::asio::io_context::executor_type io_;
  std::size_t max_backlog_;
  std::string queued_;
  std::size_t backlog_ = 0;  ///< queued plus being written
  bool flush_posted_ = false;
  bool closed_ = false;
};

}  // namespace amoc::web::detail
