#include "amoc/io_pool.hpp"

namespace amoc {

io_pool::io_pool(std::vector<boost::asio::io_context*> shared) : loops_(std::move(shared)) {}

io_pool::~io_pool() {
  if (!own_)
    return;
  own_->guard.reset();
  own_->context.stop();
  own_->thread.join();
}

boost::asio::io_context& io_pool::next() {
  std::lock_guard guard{mutex_};
  if (loops_.empty()) {
    own_ = std::make_unique<own_loop>();
    own_->thread = std::thread{[ctx = &own_->context] { ctx->run(); }};
    loops_.push_back(&own_->context);
  }
  return *loops_[next_++ % loops_.size()];
}

}  // namespace amoc
