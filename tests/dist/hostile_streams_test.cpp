// A generator of hostile BASP streams for a node's port: a real master's
// session (seeds/master_session.bin, recorded between `amoc run` and
// `amoc node` on loopback), mutated frame by frame (payload bytes flipped,
// lengths changed, frames dropped, repeated or cut, headers scrambled) and
// sent on fresh connections for a bounded time. The node must stay up, keep
// its memory bounded and still serve a real master afterwards.

#include <chrono>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "node_process.hpp"
#include "stray_peer.hpp"

namespace {

using namespace std::chrono_literals;
using amoc::test::child_process;
using amoc::test::node_process;

std::vector<std::string> seed_frames() {
  std::ifstream in{std::string{AMOC_SOURCE_DIR} + "/tests/dist/seeds/master_session.bin",
                   std::ios::binary};
  const std::string bytes{std::istreambuf_iterator<char>{in}, {}};
  std::vector<std::string> frames;
  for (std::size_t i = 0; i + 32 <= bytes.size();) {
    std::uint32_t length = 0;
    for (int k = 0; k < 4; ++k)
      length = (length << 8) | static_cast<unsigned char>(bytes[i + 4 + k]);
    frames.push_back(bytes.substr(i, 32 + length));
    i += 32 + length;
  }
  return frames;
}

void set_length(std::string& frame, std::uint32_t length) {
  for (int k = 0; k < 4; ++k)
    frame[4 + k] = static_cast<char>((length >> (24 - 8 * k)) & 0xff);
}

class mutator {
public:
  explicit mutator(std::uint32_t seed) : gen_(seed) {}

  std::string session(const std::vector<std::string>& frames) {
    std::string out;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      auto frame = frames[i];
      // The handshake mostly intact, so the mutations reach CAF's message parsing.
      if (i > 0 || pick(4) == 0)
        mutate(frame);
      out += frame;
      if (pick(8) == 0)
        out += frames[pick(frames.size())];
    }
    if (pick(4) == 0)
      out.resize(pick(out.size() + 1));
    return out;
  }

private:
  std::size_t pick(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>{0, n - 1}(gen_);
  }

  void mutate(std::string& frame) {
    switch (pick(6)) {
    case 0:  // flip payload bytes
      for (int k = 0, n = 1 + static_cast<int>(pick(8)); k < n && frame.size() > 32; ++k)
        frame[32 + pick(frame.size() - 32)] ^= static_cast<char>(1 + pick(255));
      break;
    case 1:  // a payload of another length than announced
      frame.resize(32 + pick(frame.size()));
      break;
    case 2:  // an announced length of anything
      set_length(frame, static_cast<std::uint32_t>(gen_()));
      break;
    case 3:  // scrambled header fields (operation, flags, ids)
      for (int k = 0; k < 4; ++k)
        frame[pick(32)] = static_cast<char>(pick(256));
      break;
    case 4:  // dropped
      frame.clear();
      break;
    default:  // kept
      break;
    }
  }

  std::mt19937 gen_;
};

long rss_kb(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

TEST(hostile_streams, never_bring_a_node_down) {
  const auto frames = seed_frames();
  ASSERT_GT(frames.size(), 50u);
  node_process node{"target"};
  ASSERT_NE(node.port(), 0);
  // The process that serves the port: the child of the node's crash guard.
  const auto served_by = node.guarded_pid();
  ASSERT_GT(served_by, 0);
  const auto rss_before = rss_kb(served_by);
  mutator mutate{20261206};
  int sessions = 0;
  const auto until = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < until) {
    amoc::test::hit_and_run(node.port(), mutate.session(frames), 30);
    ++sessions;
  }
  const auto rss_after = rss_kb(served_by);
  std::printf("hostile_streams: %d sessions, node RSS %ld -> %ld KB\n", sessions, rss_before,
              rss_after);
  ASSERT_GT(rss_after, 0) << "the node died:\n" << node.log();
  EXPECT_EQ(node.log().find("crashed"), std::string::npos) << node.log();
#ifndef __SANITIZE_ADDRESS__  // ASan's quarantine and shadow memory make RSS meaningless here
  EXPECT_LT(rss_after, rss_before + 200 * 1024) << node.log();
#endif
  // A real master still gets a run out of it.
  const auto dir = std::string{"/tmp/amoc-hostile-"} + std::to_string(::getpid());
  std::ofstream{dir + ".json"} << R"({"scenario": "dummy", "users": [1, 10], "duration": "1s",
    "nodes": [")" + node.address() + R"("], "settings": {"interarrival": 0, "dummy_sleep": "100ms",
    "repeat_interval": 0, "node_insecure": true}})";
  child_process master{{amoc::test::amoc_binary(), "run", dir + ".json"}};
  EXPECT_EQ(master.wait_exit(30), 0) << master.log() << "\nnode:\n" << node.log();
  std::remove((dir + ".json").c_str());
}

}  // namespace
