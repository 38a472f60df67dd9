#pragma once

/// The event loops network I/O runs on, for protocol libraries (XMPP, HTTP).
/// On a node these are the actor scheduler's own worker threads, so a user
/// woken by a socket event runs on the thread that read it. Without them
/// (tests on CAF's deterministic scheduler) the pool starts one thread of its
/// own on first use. A connection lives on one loop for its whole life, so
/// its completion handlers never run concurrently.

#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace amoc {

/// Hands out the event loop a new connection lives on, round robin.
class io_pool {
public:
  /// Uses `shared` loops (run by someone else); none: an own thread, on first use.
  explicit io_pool(std::vector<boost::asio::io_context*> shared);
  /// Stops its own thread, if it started one.
  ~io_pool();
  io_pool(const io_pool&) = delete;
  io_pool& operator=(const io_pool&) = delete;

  /// The loop for a new connection, round robin.
  [[nodiscard]] boost::asio::io_context& next();

private:
  struct own_loop {
    boost::asio::io_context context{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{
      context.get_executor()};
    std::thread thread;
  };

  std::mutex mutex_;
  std::vector<boost::asio::io_context*> loops_;
  std::unique_ptr<own_loop> own_;
  std::size_t next_ = 0;
};

}  // namespace amoc
