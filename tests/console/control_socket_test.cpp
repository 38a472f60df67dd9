// The control socket of a background node (`amoc start`) against whatever a
// process of the same user may send it: stray connections that never say
// hello, lines longer than the limit, garbage, more connections than the cap.
// After each, `amoc status` must still answer.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "../dist/node_process.hpp"
#include "pty_session.hpp"

namespace amoc::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A raw connection to the node's socket.
class raw_console {
public:
  explicit raw_console(const fs::path& socket) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
    timeval tv{0, 100'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~raw_console() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  raw_console(const raw_console&) = delete;
  raw_console& operator=(const raw_console&) = delete;

  [[nodiscard]] bool connected() const { return fd_ >= 0; }
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // What the node sends until it hangs up; `closed` tells whether it did.
  std::string read_until_closed(std::chrono::seconds limit, bool* closed = nullptr) {
    std::string got;
    char buf[4096];
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        if (closed)
          *closed = true;
        return got;
      }
      if (n > 0)
        got.append(buf, static_cast<std::size_t>(n));
    }
    if (closed)
      *closed = false;
    return got;
  }

private:
  int fd_ = -1;
};

class ControlSocketTest : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/amoc-ctl-XXXXXX";
    home_ = mkdtemp(tmpl);
    fs::create_directories(home_ / "plugins");
    auto start = amoc({"start"});
    ASSERT_EQ(start.wait_exit(40), 0) << start.output();
  }
  void TearDown() override {
    if (fs::exists(socket()))
      amoc({"stop"}).wait_exit(30);
    fs::remove_all(home_);
  }

  fs::path socket() const { return home_ / "run" / "amoc" / "console.sock"; }

  pty_session amoc(std::vector<std::string> args) const {
    args.insert(args.begin(), amoc_binary());
    return pty_session{args,
                       {{"HOME", home_.string()},
                        {"XDG_STATE_HOME", (home_ / "state").string()},
                        {"XDG_RUNTIME_DIR", (home_ / "run").string()},
                        {"AMOC_PLUGIN_DIR", (home_ / "plugins").string()},
                        {"TERM", "xterm"}},
                       home_.string()};
  }

  // `amoc status` answers, and how long it took.
  double status_answers() const {
    const auto start = std::chrono::steady_clock::now();
    auto status = amoc({"status"});
    EXPECT_EQ(status.wait_exit(20), 0) << status.output();
    EXPECT_TRUE(status.expect("local: idle")) << status.output();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  std::size_t node_rss_kib() const {
    std::ifstream pid_file{home_ / "run" / "amoc" / "amoc.pid"};
    pid_t pid = 0;
    pid_file >> pid;
    std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
    for (std::string line; std::getline(status, line);)
      if (line.starts_with("VmRSS:"))
        return std::stoul(line.substr(6));
    return 0;
  }

  fs::path home_;
};

TEST_F(ControlSocketTest, StrayConnectionsMakeRoomAndAreClosedWithoutAHello) {
  std::vector<std::unique_ptr<raw_console>> stray;
  for (int i = 0; i < 200; ++i) {
    stray.push_back(std::make_unique<raw_console>(socket()));
    ASSERT_TRUE(stray.back()->connected()) << i;
  }
  const double took = status_answers();
  std::cout << "amoc status beside 200 stray connections: " << took << " s\n";
  EXPECT_LT(took, 5.0);
  // The newest stray connections that were not closed to make room are
  // closed at the handshake deadline (5 s).
  bool closed = false;
  const auto got = stray.back()->read_until_closed(9s, &closed);
  EXPECT_TRUE(closed) << "a connection that never said hello stays open";
  EXPECT_EQ(got.rfind("hello ", 0), 0u) << got;
}

TEST_F(ControlSocketTest, LongLinesAndGarbageEndTheirConnectionOnly) {
  const auto before = node_rss_kib();
  {
    raw_console huge{socket()};
    ASSERT_TRUE(huge.send("hello\nline "));
    // 8 MiB without a newline; the node stops reading after 64 KiB.
    const std::string block(1 << 20, 'x');
    for (int i = 0; i < 8 && huge.send(block); ++i) {
    }
    bool closed = false;
    const auto got = huge.read_until_closed(5s, &closed);
    EXPECT_TRUE(closed);
    EXPECT_NE(got.find("bye a line longer than 65536 bytes"), std::string::npos) << got;
  }
  {
    raw_console noise{socket()};
    ASSERT_TRUE(noise.send("hello\n"));
    std::string bytes;
    for (int i = 0; i < 200000; ++i) {
      const auto c = static_cast<char>((i * 7919 + i / 13) % 256);
      bytes += c == 's' ? '.' : c;  // no "stop" by chance
    }
    for (int i = 0; i < 200; ++i)
      bytes +=
        "line " + std::string(i % 50, '(') + "amoc_local:do(x, \"\\" + std::to_string(i) + "\n";
    bytes += "stopp\nline status\n";
    noise.send(bytes);
    noise.read_until_closed(1s);
  }
  {
    raw_console no_hello{socket()};
    ASSERT_TRUE(no_hello.send("line status\n"));
    bool closed = false;
    const auto got = no_hello.read_until_closed(5s, &closed);
    EXPECT_TRUE(closed);
    EXPECT_NE(got.find("bye expected hello, got 'line'"), std::string::npos) << got;
  }
  status_answers();
  const auto after = node_rss_kib();
  std::cout << "node RSS " << before << " KiB before, " << after << " KiB after\n";
  EXPECT_LT(after, before + 32 * 1024);
}

TEST_F(ControlSocketTest, PastTheCapConsolesAreTurnedAwayUntilOneLeaves) {
  std::vector<std::unique_ptr<raw_console>> consoles;
  for (int i = 0; i < 32; ++i) {
    consoles.push_back(std::make_unique<raw_console>(socket()));
    ASSERT_TRUE(consoles.back()->send("hello\n"));
  }
  std::this_thread::sleep_for(300ms);
  auto turned_away = amoc({"status"});
  EXPECT_EQ(turned_away.wait_exit(20), 1) << turned_away.output();
  EXPECT_TRUE(turned_away.expect("too many consoles attached (32)")) << turned_away.output();
  consoles.pop_back();
  std::this_thread::sleep_for(300ms);
  status_answers();
}

}  // namespace
}  // namespace amoc::test
