#include "amoc/io_pool.hpp"

#include <algorithm>

namespace amoc {

io_pool::io_pool(std::size_t threads) : size_(std::max<std::size_t>(threads, 1)) {}

io_pool::~io_pool() {
  for (auto& w : workers_) {
    w->guard.reset();
    w->context.stop();
  }
  for (auto& w : workers_)
    w->thread.join();
}

void io_pool::start_locked() {
  for (std::size_t i = 0; i < size_; ++i) {
    auto w = std::make_unique<worker>();
    w->thread = std::thread{[ctx = &w->context] { ctx->run(); }};
    workers_.push_back(std::move(w));
  }
}

boost::asio::io_context& io_pool::next() {
  std::lock_guard guard{mutex_};
  if (workers_.empty())
    start_locked();
  return workers_[next_++ % workers_.size()]->context;
}

}  // namespace amoc
