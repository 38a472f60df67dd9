#pragma once

// Calls a function every interval on its own thread until destroyed (progress lines).

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "amoc/config.hpp"

namespace amoc::console {

class ticker {
public:
  ticker(duration interval, std::function<void()> tick)
      : thread_([this, interval, tick = std::move(tick)] {
          std::unique_lock lock{mutex_};
          while (!cv_.wait_for(lock, interval, [this] { return stopping_; })) {
            lock.unlock();
            tick();
            lock.lock();
          }
        }) {}

  ~ticker() {
    {
      std::lock_guard guard{mutex_};
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

  ticker(const ticker&) = delete;
  ticker& operator=(const ticker&) = delete;

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace amoc::console
