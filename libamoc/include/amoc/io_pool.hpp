#pragma once

/// The I/O threads of a run, for protocol libraries (XMPP, HTTP): a few
/// `io_context`s with one thread each. A connection lives on one context for
/// its whole life, so its completion handlers never run concurrently.
/// Threads start on first use: a run without network I/O costs nothing.

#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace amoc {

class io_pool {
public:
  /// `threads` I/O threads (at least one).
  explicit io_pool(std::size_t threads);
  /// Stops the threads and destroys the handlers still queued.
  ~io_pool();
  io_pool(const io_pool&) = delete;
  io_pool& operator=(const io_pool&) = delete;

  /// The context for a new connection, round robin; starts the threads on first use.
  [[nodiscard]] boost::asio::io_context& next();

private:
  using work_guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  struct worker {
    boost::asio::io_context context{1};
    work_guard guard{context.get_executor()};
    std::thread thread;
  };

  void start_locked();

  std::mutex mutex_;
  std::size_t size_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::size_t next_ = 0;
};

}  // namespace amoc
