// The node scheduler: an actor woken by a handler of a worker's event loop
// inside a loop_turn runs when that handler returns, before the handlers
// queued behind it; without the turn it waits for the loop's next turn.

#include "node_scheduler.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/post.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "amoc/loop_turn.hpp"

namespace {

class order_log {
public:
  void add(std::string what) {
    std::lock_guard guard{mutex_};
    entries_.push_back(std::move(what));
  }
  [[nodiscard]] std::vector<std::string> entries() {
    std::lock_guard guard{mutex_};
    return entries_;
  }

private:
  std::mutex mutex_;
  std::vector<std::string> entries_;
};

// Spawned with an argument: CAF 0.17 binds a reference to a null tuple for
// an actor function without any (UBSan reports it).
caf::behavior recorder(caf::event_based_actor*, order_log* log) {
  return {[log](int) { log->add("actor"); }, [](const std::string& s) { return s; }};
}

struct one_worker_node : caf::actor_system_config {
  one_worker_node() {
    set("scheduler.max-threads", 1);
    set("logger.verbosity", caf::atom("quiet"));
    amoc::detail::install_node_scheduler(*this);
  }
};

// On the worker's loop: a handler that wakes `a` (with or without a turn),
// and one queued behind it; the order in which the three ran.
std::vector<std::string> order_with(bool in_turn) {
  one_worker_node cfg;
  caf::actor_system sys{cfg};
  order_log log;
  auto a = sys.spawn(recorder, &log);
  caf::scoped_actor self{sys};
  // Once it answered, it waits for messages (idle).
  self->request(a, caf::infinite, std::string{"ready?"})
    .receive([](const std::string&) {}, [](caf::error&) {});
  auto& loop = *amoc::detail::worker_io_contexts(sys).front();
  std::promise<void> done;
  // Queued from the loop's own thread, so both wait before the first runs.
  boost::asio::post(loop, [&] {
    boost::asio::post(loop, [&] {
      std::optional<amoc::loop_turn> turn;
      if (in_turn)
        turn.emplace();
      caf::anon_send(a, 1);
      log.add("handler");
    });
    boost::asio::post(loop, [&] { log.add("next handler"); });
    boost::asio::post(loop, [&] { boost::asio::post(loop, [&] { done.set_value(); }); });
  });
  done.get_future().wait();
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  return log.entries();
}

}  // namespace

TEST(node_scheduler, an_actor_woken_in_a_loop_turn_runs_when_the_handler_returns) {
  EXPECT_EQ(order_with(true), (std::vector<std::string>{"handler", "actor", "next handler"}));
  // Without the turn, the wake is queued behind the handlers already waiting.
  EXPECT_EQ(order_with(false), (std::vector<std::string>{"handler", "next handler", "actor"}));
}
