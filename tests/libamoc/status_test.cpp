// amoc::status and its parts printed as people read them, and ended users by reason.

#include <gtest/gtest.h>

#include <sstream>

#include "amoc/status.hpp"

namespace {

amoc::status a_running_run() {
  amoc::status st;
  st.state = amoc::run_state::running;
  st.scenario = "dummy";
  st.next_id = 13;
  st.users.running = 2;
  st.users.waiting = 8;
  st.users.started = 12;
  st.users.ended.normal = 1;
  st.users.ended[amoc::exit::forced_stop] = 1;
  return st;
}

}  // namespace

TEST(EndedCounts, NamedMembersAndIndexByReasonAreTheSameCounts) {
  amoc::ended_counts e;
  e[amoc::exit::graceful_stop] = 3;
  e.node_lost = 4;
  EXPECT_EQ(e.graceful_stop, 3u);
  EXPECT_EQ(e[amoc::exit::node_lost], 4u);
  EXPECT_EQ(e.total(), 7u);
  amoc::ended_counts more;
  more.graceful_stop = 1;
  e += more;
  EXPECT_EQ(e.graceful_stop, 4u);
  EXPECT_EQ(amoc::to_string(e), "graceful_stop 4, node_lost 4");
  EXPECT_EQ(amoc::to_string(amoc::ended_counts{}), "none");
}

TEST(StatusText, ARunningRunSaysItsScenarioUsersAndEndReasons) {
  EXPECT_EQ(amoc::to_string(a_running_run()),
            "running dummy, users 10 (running 2, waiting 8, stopping 0), pending 0, started 12, "
            "ended 2 (normal 1, forced_stop 1), next id 13");
  std::ostringstream out;
  out << a_running_run() << "; " << amoc::run_state::finished;
  EXPECT_EQ(out.str(), amoc::to_string(a_running_run()) + "; finished");
}

TEST(StatusText, AnIdleRunIsJustIdleAndAnErrorIsOnItsOwnLine) {
  EXPECT_EQ(amoc::to_string(amoc::status{}), "idle");
  auto st = a_running_run();
  st.state = amoc::run_state::error;
  st.error = "init failed";
  EXPECT_EQ(amoc::to_string(st).substr(amoc::to_string(st).find('\n')), "\n  error: init failed");
}

TEST(StatusText, ANodeSaysWhereItIsAndWhichIdsItRuns) {
  amoc::node_status n;
  n.name = "w1";
  n.address = "127.0.0.1:4100";
  n.up = true;
  n.state = amoc::run_state::running;
  n.ids = {amoc::id_range{1, 5, 2}};
  EXPECT_EQ(amoc::to_string(n),
            "w1 (127.0.0.1:4100): up, running, users 0 (running 0, waiting 0, stopping 0), "
            "pending 0, started 0, ended 0, ids 1..9/2");
}
