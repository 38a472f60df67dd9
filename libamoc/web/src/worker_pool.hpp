#pragma once

// Threads that run the web server's handlers, which may block (on the
// runtime, on a compiler), with a bounded queue: the I/O thread never waits,
// and a flood of requests is refused rather than queued without end.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace amoc::web::detail {

class worker_pool {
public:
  worker_pool(std::size_t threads, std::size_t max_queued);
  /// Stops (see `stop`).
  ~worker_pool();
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  /// Queues `job`; false when `max_queued` jobs wait already or the pool stops.
  [[nodiscard]] bool submit(std::function<void()> job);
  /// Lets the running jobs finish, drops the queued ones, joins the threads.
  void stop();

private:
  void run();

  std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace amoc::web::detail
