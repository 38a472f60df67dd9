#pragma once

// What the sessions of one web server share. Everything but `workers` and
// `answer` is touched on the I/O thread only, so it needs no lock.

#include <cstddef>
#include <list>
#include <memory>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/io_context.hpp>

#include "amoc/web_server.hpp"
#include "worker_pool.hpp"

namespace amoc::web::detail {

class session;

struct server_core {
  server_core(server::options o, handler h)
      : opts(std::move(o)), handle(std::move(h)), workers(opts.workers, opts.max_queued) {}

  /// The handler's answer; a throwing handler is a bug, the client gets a 500.
  [[nodiscard]] response answer(request& req) noexcept;

  /// Adds a session to `sessions` (counted against the cap) and starts it.
  void admit(std::shared_ptr<session> s);
  /// Closes the longest-waiting idle session, if any: room for a newcomer.
  [[nodiscard]] bool make_room();

  server::options opts;
  handler handle;
  boost::asio::io_context io{1};
  worker_pool workers;
  /// Open sessions, oldest first.
  std::list<std::shared_ptr<session>> sessions;
  std::size_t streams = 0;   ///< sessions streaming events
  std::size_t refusals = 0;  ///< connections being answered 503 (not in `sessions`)
  bool stopping = false;
};

}  // namespace amoc::web::detail
