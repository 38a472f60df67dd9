// Scenarios used by the actor tests. They record what happened in recorder::get().

#include "test_scenarios.hpp"

#include <stdexcept>

#include "amoc/coordinator.hpp"
#include "amoc/scenario.hpp"
#include "amoc/throttle.hpp"
#include "shaping_node.hpp"

namespace amoc::test {

void recorder::reset() {
  std::lock_guard guard{mutex};
  iterations_started.clear();
  iterations_done.clear();
  frames_destroyed.clear();
  inits = 0;
  terminates = 0;
  shaping = nullptr;
  coordinated.clear();
  params.clear();
}

recorder& recorder::get() {
  static recorder r;
  return r;
}

namespace {

void record(std::vector<std::uint64_t>& where, std::uint64_t id) {
  auto& r = recorder::get();
  std::lock_guard guard{r.mutex};
  where.push_back(id);
}

// Records the user id if the frame is destroyed before the iteration ends.
struct midway_guard {
  std::uint64_t id;
  bool finished = false;
  ~midway_guard() {
    if (!finished)
      record(recorder::get().frames_destroyed, id);
  }
};

class t_sleep final : public scenario {
public:
  void init() override {
    sleep_ = config<duration>("t_sleep");
    ++recorder::get().inits;
  }
  task<> start(user& u) override {
    midway_guard guard{u.id()};
    record(recorder::get().iterations_started, u.id());
    co_await u.sleep(sleep_);
    record(recorder::get().iterations_done, u.id());
    guard.finished = true;
  }
  void terminate() override { ++recorder::get().terminates; }

private:
  duration sleep_{};
};

class t_throw final : public scenario {
public:
  task<> start(user& u) override {
    co_await u.sleep(std::chrono::milliseconds{10});
    if (u.iteration() == u.config<std::uint64_t>("t_throw_at", 1))
      throw std::runtime_error("boom at iteration " + std::to_string(u.iteration()));
    record(recorder::get().iterations_done, u.id());
  }
};

class t_instant final : public scenario {
public:
  task<> start(user& u) override {
    record(recorder::get().iterations_done, u.id());
    co_return;
  }
};

class t_init_fail final : public scenario {
public:
  void init() override { throw std::runtime_error("cannot reach the server"); }
  task<> start(user&) override { co_return; }
};

// Awaits a nested task that sleeps: checks symmetric transfer and nested frames.
task<int> nested_sleep(user& u) {
  co_await u.sleep(std::chrono::milliseconds{5});
  co_return 42;
}

class t_nested final : public scenario {
public:
  task<> start(user& u) override {
    midway_guard guard{u.id()};
    const int x = co_await nested_sleep(u);
    if (x != 42)
      throw std::logic_error("nested task returned the wrong value");
    co_await u.sleep(std::chrono::milliseconds{5});
    record(recorder::get().iterations_done, u.id());
    guard.finished = true;
  }
};

// Every iteration waits at throttle "t" (rate t_rate per t_interval, or at
// most t_parallel at once through `run`, each action sleeping t_sleep).
class t_throttle final : public scenario {
public:
  void init() override {
    recorder::get().shaping =
      &dynamic_cast<amoc::detail::shaping_node&>(amoc::detail::shaping_service::current());
    parallel_ = config<std::int64_t>("t_parallel", 0);
    sleep_ = config<duration>("t_sleep", duration::zero());
    if (parallel_ > 0)
      throttle::start("t", throttle::limit::parallel(static_cast<std::uint64_t>(parallel_)));
    else
      throttle::start(
        "t", throttle::limit::rate(config<double>("t_rate", 10.0),
                                   config<duration>("t_interval", std::chrono::seconds{1})));
  }
  task<> start(user& u) override {
    if (parallel_ == 0) {
      co_await throttle::wait(u, "t");
      co_return;
    }
    co_await throttle::run(u, "t", [&u, this]() -> task<> { co_await u.sleep(sleep_); });
  }

private:
  std::int64_t parallel_ = 0;
  duration sleep_{};
};

// Users join coordinator "c": pairs, plus an `all` item; each records the
// event that resumed it.
class t_coordinate final : public scenario {
public:
  void init() override {
    using namespace coordinator;
    recorder::get().shaping =
      &dynamic_cast<amoc::detail::shaping_node&>(amoc::detail::shaping_service::current());
    auto pair_up = on_pair([](event, member& a, member* b) {
      auto peer = b ? b->id : 0;
      *std::any_cast<std::shared_ptr<std::uint64_t>>(a.data) = peer;
      if (b)
        *std::any_cast<std::shared_ptr<std::uint64_t>>(b->data) = a.id;
    });
    coordinator::start("c", {item::of(2, pair_up), item::all(on_event([](event) {}))},
                       std::chrono::seconds{5});
  }
  task<> start(user& u) override {
    auto peer = std::make_shared<std::uint64_t>(~std::uint64_t{0});
    auto ev = co_await coordinator::add(u, "c", peer);
    auto& r = recorder::get();
    std::lock_guard guard{r.mutex};
    r.coordinated.push_back(std::to_string(u.id()) + " " + coordinator::to_string(ev.type) + " "
                            + std::to_string(ev.users) + " peer " + std::to_string(*peer));
  }
};

// Records its row of the users file, its partner's username (1 <-> 2, ...)
// and the optional column `email`.
class t_params final : public scenario {
public:
  task<> start(user& u) override {
    co_await u.sleep(std::chrono::milliseconds{1});
    const auto partner = u.id() % 2 ? u.id() + 1 : u.id() - 1;
    auto line = std::to_string(u.id()) + " " + std::string{u.param("username")} + " "
                + std::string{u.param("password")} + " " + std::string{u.username_of(partner)} + " "
                + u.param("email", "-");
    auto& r = recorder::get();
    std::lock_guard guard{r.mutex};
    r.params.push_back(std::move(line));
  }
};

}  // namespace

}  // namespace amoc::test

using namespace amoc::test;

AMOC_REGISTER_SCENARIO(t_sleep, "t_sleep", "sleeps t_sleep per iteration",
                       {{"t_sleep", "sleep per iteration", "100ms", amoc::config::type::duration,
                         amoc::config::rules::non_negative()}});
AMOC_REGISTER_SCENARIO(t_throw, "t_throw", "throws at iteration t_throw_at", {});
AMOC_REGISTER_SCENARIO(t_instant, "t_instant", "finishes without awaiting", {});
AMOC_REGISTER_SCENARIO(t_init_fail, "t_init_fail", "init() throws", {});
AMOC_REGISTER_SCENARIO(t_nested, "t_nested", "awaits nested tasks", {});
AMOC_REGISTER_SCENARIO(t_throttle, "t_throttle", "waits at throttle t every iteration", {});
AMOC_REGISTER_SCENARIO(t_params, "t_params", "records its users-file row", {});
AMOC_REGISTER_SCENARIO(t_coordinate, "t_coordinate", "pairs users with coordinator c", {});
