// The control channel's guards: private run folder, socket mode, peers of
// other users refused (SO_PEERCRED), the pid file lock.

#include "console/control_channel.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "amoc/error.hpp"
#include "console/paths.hpp"
#include "console/pid_file.hpp"

namespace amoc::console {
namespace {

namespace fs = std::filesystem;

constexpr uid_t nobody = 65534;

class ControlChannelTest : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/amoc-channel-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ControlChannelTest, RunFolderIsMadePrivateAndSocketIsOwnerOnly) {
  const auto run = dir_ / "run";
  fs::create_directories(run);
  fs::permissions(run, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_exec);
  ASSERT_FALSE(ensure_private_dir(run));
  struct stat st {};
  ASSERT_EQ(stat(run.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto listener = listen_unix(run / "s.sock");
  ASSERT_TRUE(listener) << render(listener.error());
  ASSERT_EQ(stat((run / "s.sock").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  close(*listener);
}

TEST_F(ControlChannelTest, RefusesAFolderOfAnotherUser) {
  if (geteuid() != 0)
    GTEST_SKIP() << "needs root to hand a folder to another user";
  const auto theirs = dir_ / "theirs";
  fs::create_directories(theirs);
  ASSERT_EQ(chown(theirs.c_str(), nobody, nobody), 0);
  auto err = ensure_private_dir(theirs);
  ASSERT_TRUE(err);
  EXPECT_NE(context_of(err).find("belongs to another user"), std::string::npos);
}

TEST_F(ControlChannelTest, PeersOfOtherUsersAreHungUpOn) {
  if (geteuid() != 0)
    GTEST_SKIP() << "needs root to connect as another user";
  // Open folder and socket on purpose: only the SO_PEERCRED check is left.
  fs::permissions(dir_, fs::perms::all);
  const auto path = dir_ / "open.sock";
  auto listener = listen_unix(path);
  ASSERT_TRUE(listener);
  ASSERT_EQ(chmod(path.c_str(), 0666), 0);
  const pid_t child = fork();
  if (child == 0) {
    if (setgid(nobody) != 0 || setuid(nobody) != 0)
      _exit(3);
    auto fd = connect_unix(path);
    if (!fd)
      _exit(4);
    char byte = 0;
    _exit(read(*fd, &byte, 1) == 0 ? 0 : 5);  // 0: the node hung up on us
  }
  int owner_fd = -1;
  std::thread owner{[&] {
    // Connects after the stranger, so accept_owner returns once it has refused it.
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
    auto fd = connect_unix(path);
    ASSERT_TRUE(fd);
    owner_fd = *fd;
  }};
  const int accepted = accept_owner(*listener);
  owner.join();
  EXPECT_GE(accepted, 0);
  ucred peer{};
  socklen_t len = sizeof peer;
  ASSERT_EQ(getsockopt(accepted, SOL_SOCKET, SO_PEERCRED, &peer, &len), 0);
  EXPECT_EQ(peer.uid, geteuid());
  close(accepted);
  close(owner_fd);
  close(*listener);
}

TEST_F(ControlChannelTest, MessagesAreOneLineEach) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  ASSERT_TRUE(send_message(fds[0], "out", "two\nlines"));
  ASSERT_TRUE(send_message(fds[0], "end", ""));
  message_reader in{fds[1]};
  std::vector<message> got;
  while (got.size() < 3 && in.fill())
    while (auto m = in.next())
      got.push_back(*m);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].kind, "out");
  EXPECT_EQ(got[0].text, "two");
  EXPECT_EQ(got[1].text, "lines");
  EXPECT_EQ(got[2].kind, "end");
  close(fds[0]);
  close(fds[1]);
}

TEST_F(ControlChannelTest, PidFileLockRefusesASecondNodeAndNamesThePid) {
  const auto path = dir_ / "amoc.pid";
  EXPECT_EQ(pid_file::holder(path), 0);
  {
    auto first = pid_file::acquire(path);
    ASSERT_TRUE(first);
    EXPECT_EQ(pid_file::holder(path), getpid());
    auto second = pid_file::acquire(path);
    ASSERT_FALSE(second);
    EXPECT_NE(context_of(second.error()).find("already running (pid " + std::to_string(getpid())),
              std::string::npos);
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(pid_file::holder(path), 0);
}

TEST_F(ControlChannelTest, ALineLongerThanTheLimitEndsTheReading) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  message_reader in{fds[1], 16};
  ASSERT_TRUE(send_message(fds[0], "line", "short"));
  ASSERT_TRUE(in.fill());
  EXPECT_EQ(in.next()->text, "short");
  // Finished lines and an unfinished one, each past 16 bytes.
  ASSERT_TRUE(send_message(fds[0], "line", std::string(40, 'x')));
  ASSERT_TRUE(in.fill() || in.overflowed());
  EXPECT_FALSE(in.next());
  EXPECT_TRUE(in.overflowed());
  EXPECT_FALSE(in.fill());
  message_reader open{fds[1], 16};
  const std::string unfinished(100, 'y');
  ASSERT_EQ(write(fds[0], unfinished.data(), unfinished.size()), 100);
  EXPECT_FALSE(open.fill());
  EXPECT_TRUE(open.overflowed());
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace amoc::console
