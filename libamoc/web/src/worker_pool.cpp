#include "worker_pool.hpp"

#include <algorithm>

namespace amoc::web::detail {

worker_pool::worker_pool(std::size_t threads, std::size_t max_queued) : max_queued_(max_queued) {
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
    threads_.emplace_back([this] { run(); });
}

worker_pool::~worker_pool() { stop(); }

bool worker_pool::submit(std::function<void()> job) {
  {
    std::lock_guard guard{mutex_};
    if (stopping_ || jobs_.size() >= max_queued_)
      return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void worker_pool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard guard{mutex_};
    stopping_ = true;
    dropped.swap(jobs_);
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable())
      t.join();
}

void worker_pool::run() {
  std::unique_lock lock{mutex_};
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_)
      return;
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    // Destroyed before the lock is taken again: it may own a session.
    job = nullptr;
    lock.lock();
  }
}

}  // namespace amoc::web::detail
