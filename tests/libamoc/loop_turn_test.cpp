// loop_turn: what a handler held back runs once, when the outermost turn ends.

#include "amoc/loop_turn.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace {

thread_local int flushes = 0;

void count_flush() {
  ++flushes;
  // What runs at the end of a turn is outside every turn: a user it runs
  // that wakes another one queues that one normally.
  EXPECT_FALSE(amoc::loop_turn::active());
}

}  // namespace

TEST(loop_turn, runs_what_was_held_once_when_the_outermost_turn_ends) {
  std::thread{[] {
    amoc::loop_turn::on_this_thread(count_flush);
    EXPECT_FALSE(amoc::loop_turn::active());
    {
      amoc::loop_turn outer;
      EXPECT_TRUE(amoc::loop_turn::active());
      { amoc::loop_turn inner; }
      EXPECT_EQ(flushes, 0);
      EXPECT_TRUE(amoc::loop_turn::active());
    }
    EXPECT_EQ(flushes, 1);
    EXPECT_FALSE(amoc::loop_turn::active());
    amoc::loop_turn::on_this_thread(nullptr);
    { amoc::loop_turn turn; }
    EXPECT_EQ(flushes, 1);
  }}.join();
}

TEST(loop_turn, is_per_thread) {
  std::thread{[] {
    amoc::loop_turn::on_this_thread(count_flush);
    amoc::loop_turn turn;
    std::thread{[] {
      EXPECT_FALSE(amoc::loop_turn::active());
      { amoc::loop_turn other; }  // no hook on this thread: nothing runs
      EXPECT_EQ(flushes, 0);
    }}.join();
    amoc::loop_turn::on_this_thread(nullptr);
  }}.join();
}
