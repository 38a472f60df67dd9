// count_received against the real server: the count and the delivery times
// stay exact while the receiving user is woken once for a count it can
// reach, not once per message.

#include "harness.hpp"

#include "amoc/xmpp/count_received.hpp"
#include "amoc/xmpp/stanzas.hpp"

using namespace amoc;
using namespace amoc::test;
using namespace std::chrono_literals;
namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;

namespace {

std::atomic<int> online{0};
std::atomic<int> wanted{0};
std::atomic<int> sent{5};
std::atomic<int> gap_ms{200};  // between two chats

class count_received : public ::testing::Test {
protected:
  count_received() {
    notes::get().clear();
    online = 0;
  }
};

// The user's own actor parks and resumes the coroutine; this counts the
// wakes that I/O asks for (timer wakes do not go through `wake`).
class wake_counting_user final : public user {
public:
  explicit wake_counting_user(user& inner) : user(inner.id()), inner_(inner) {}
  metrics::registry& metrics() const override { return inner_.metrics(); }
  std::uint32_t park(std::coroutine_handle<> h, duration timeout) override {
    return inner_.park(h, timeout);
  }
  void wake(std::uint32_t ticket) noexcept override {
    ++wakes;
    inner_.wake(ticket);
  }
  io_pool& io() const override { return inner_.io(); }
  std::atomic<int> wakes{0};

protected:
  void suspend_for(std::coroutine_handle<>, duration) override {
    throw std::logic_error("wake_counting_user: sleep on the user itself");
  }
  const config::store& settings() const override {
    throw std::logic_error("wake_counting_user: read options from the user itself");
  }

private:
  user& inner_;
};

// The even user sends `sent` chats 200 ms apart to the odd one, which counts
// up to `wanted` of them (at most 5 s) and notes how many, its I/O wakes and
// whether the count ended before the deadline.
task<> chat_slowly_and_count(user& u) {
  wake_counting_user counted{u};
  xmpp::client c{counted, xmpp::options::from(u)};
  co_await c.connect();
  // Reads the server's echo, so that only the chats come during the count.
  co_await go_online(c);
  ++online;
  const bool both = co_await wait_for_count(u, online, 2, 10s);
  if (!both)
    throw std::runtime_error("the other user did not come online");
  if (u.id() % 2 == 0) {
    for (int i = 0; i < sent; ++i) {
      c.send(stanzas::chat_with_timestamp(user_jid(u.id() - 1), "hello " + std::to_string(i)));
      co_await u.sleep(std::chrono::milliseconds{gap_ms.load()});
    }
  } else {
    const auto wakes_before = counted.wakes.load();
    const auto started = std::chrono::steady_clock::now();
    const auto n = co_await xmpp::count_received(c, started + 5s, wanted);
    const auto took = std::chrono::steady_clock::now() - started;
    notes::get().add("counted " + std::to_string(n));
    if (gap_ms >= 200)  // read once per wake; the last test reads as stanzas pile up
      notes::get().add("io wakes " + std::to_string(counted.wakes.load() - wakes_before));
    notes::get().add(took < 4s ? "before the deadline" : "at the deadline");
  }
  co_await c.stop();
}

// The even user sends `chats` chats `gap` apart; the odd one counts up to `want`.
void plan(int chats, std::chrono::milliseconds gap, int want) {
  sent = chats;
  gap_ms = static_cast<int>(gap.count());
  wanted = want;
}

std::uint64_t ttd_count(xmpp_run& run) {
  return run.runtime().metrics().histogram("xmpp.ttd").snapshot().count();
}

}  // namespace

TEST_F(count_received, wakes_once_when_the_wanted_count_is_unread) {
  plan(5, 200ms, 5);
  xmpp_run run{2, chat_slowly_and_count, {}, 11};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  EXPECT_EQ(notes::get().all(),
            (std::vector<std::string>{"counted 5", "io wakes 1", "before the deadline"}));
  // Every message timed, none lost by the batched reading...
  EXPECT_EQ(ttd_count(run), 5u);
  // ...from its arrival (in µs): the first waited 800 ms to be read.
  EXPECT_LT(run.runtime().metrics().histogram("xmpp.ttd").snapshot().max(), 300'000u);
}

TEST_F(count_received, a_count_out_of_reach_sleeps_until_the_deadline) {
  plan(5, 200ms, 6);
  xmpp_run run{2, chat_slowly_and_count, {}, 13};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  EXPECT_EQ(notes::get().all(),
            (std::vector<std::string>{"counted 5", "io wakes 0", "at the deadline"}));
  EXPECT_EQ(ttd_count(run), 5u);
}

// 40 chats 20 ms apart, ~500 bytes each (text and bookkeeping), against
// 8,000 bytes the connection may hold unread: waiting for all 40 before
// reading would fail it with unread-overflow; the wait reads at half the limit.
TEST_F(count_received, reads_before_the_unread_limit_whatever_it_waits_for) {
  plan(40, 20ms, 40);
  xmpp_run run{2, chat_slowly_and_count, {{"xmpp_max_unread_bytes", 8000}}, 15};
  EXPECT_EQ(run.ended(exit::normal), 2u);
  EXPECT_EQ(notes::get().all(), (std::vector<std::string>{"counted 40", "before the deadline"}));
  EXPECT_EQ(run.counter("xmpp.failures.receive"), 0u);
}
