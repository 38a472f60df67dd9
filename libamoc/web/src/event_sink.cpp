#include "event_sink.hpp"

#include <boost/asio/post.hpp>

#include "session.hpp"

namespace amoc::web::detail {

bool event_sink::write(std::string chunk) {
  std::lock_guard guard{mutex_};
  if (closed_)
    return false;
  if (backlog_ + chunk.size() > max_backlog_) {
    // The session sees it at its next flush (one is due: the backlog is not
    // empty) or when its stalled write times out.
    closed_ = true;
    return false;
  }
  backlog_ += chunk.size();
  queued_ += chunk;
  if (!flush_posted_) {
    flush_posted_ = true;
    boost::asio::post(io_, [owner = owner_] {
      if (auto s = owner.lock())
        s->flush_stream();
    });
  }
  return true;
}

std::string event_sink::take() {
  std::lock_guard guard{mutex_};
  flush_posted_ = false;
  return std::exchange(queued_, {});
}

void event_sink::written(std::size_t n) {
  std::lock_guard guard{mutex_};
  backlog_ -= std::min(n, backlog_);
}

void event_sink::close() {
  std::lock_guard guard{mutex_};
  closed_ = true;
  queued_.clear();
}

bool event_sink::closed() {
  std::lock_guard guard{mutex_};
  return closed_;
}

}  // namespace amoc::web::detail
