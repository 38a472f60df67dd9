#include "amoc/crash_guard.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace amoc::crash {

namespace {

// What a crashing child leaves for its guard: one page shared by both.
struct shared_page {
  std::atomic<int> signal{0};
  std::atomic<std::uint64_t> user{0};
  char scenario[128]{};
  char what[512]{};
  // The previous child's crash, for a restarted one.
  int previous_signal = 0;
  std::uint64_t previous_user = 0;
  char previous_scenario[128]{};
  char previous_what[512]{};
  char note[64]{};  // from one child to the next
};

shared_page* page = nullptr;
thread_local std::uint64_t current_user = 0;
volatile sig_atomic_t child_pid = 0;

constexpr int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
constexpr int forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

template <std::size_t N>
void copy_text(char (&to)[N], std::string_view from) noexcept {
  const auto n = std::min(from.size(), N - 1);
  std::memcpy(to, from.data(), n);
  to[n] = '\0';
}

// In the crashing thread: note who ran, then die of the same signal.
void on_fatal_signal(int sig) {
  if (page) {
    page->user.store(current_user, std::memory_order_relaxed);
    page->signal.store(sig, std::memory_order_release);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

[[noreturn]] void on_terminate() {
  if (page) {
    try {
      if (auto e = std::current_exception())
        std::rethrow_exception(e);
      copy_text(page->what, "std::terminate without an exception");
    } catch (const std::exception& e) {
      copy_text(page->what, e.what());
    } catch (...) {
      copy_text(page->what, "an exception that is not a std::exception");
    }
  }
  std::abort();
}

void install_crash_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sa.sa_flags = SA_NODEFER | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  for (int sig : fatal_signals)
    ::sigaction(sig, &sa, nullptr);
  std::set_terminate(on_terminate);
}

void forward_to_child(int sig) {
  if (child_pid > 0)
    ::kill(child_pid, sig);
}

void forward_signals(bool on) {
  struct sigaction sa {};
  sa.sa_handler = on ? forward_to_child : SIG_DFL;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig : forwarded_signals)
    ::sigaction(sig, &sa, nullptr);
}

// The forwarded signals, blocked while the guard forks: one sent before the
// guard knows its child (a script's Ctrl-C right at the start) waits instead
// of meeting the disposition inherited from the shell, which ignores SIGINT
// in a background job, and being lost.
sigset_t forwarded_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : forwarded_signals)
    sigaddset(&set, sig);
  return set;
}

report report_from(const shared_page& p, int sig) {
  report r;
  r.signal = sig;
  r.user = p.signal.load(std::memory_order_acquire) != 0 ? p.user.load() : 0;
  r.scenario = p.scenario;
  r.what = p.what;
  return r;
}

ending fork_and_wait(const std::function<int()>& child) {
  std::fflush(nullptr);  // nothing buffered is written twice
  page->signal.store(0);
  page->user.store(0);
  page->what[0] = '\0';
  const pid_t guard = ::getpid();
  const auto forwarded = forwarded_set();
  sigset_t before;
  ::pthread_sigmask(SIG_BLOCK, &forwarded, &before);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    std::perror("amoc: cannot start the guarded process (fork)");
    return {1, {}};
  }
  if (pid == 0) {
    forward_signals(false);
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
    ::setpgid(0, 0);  // the terminal's signals reach the guard only, which passes them on once
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // the child never outlives its guard
    if (::getppid() != guard)
      std::_Exit(1);
    install_crash_handlers();
    const int code = child();
    std::exit(code);
  }
  child_pid = pid;
  forward_signals(true);
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);  // what came meanwhile goes to the child now
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  child_pid = 0;
  forward_signals(false);
  if (WIFSIGNALED(status))
    return {128 + WTERMSIG(status), report_from(*page, WTERMSIG(status))};
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 1, {}};
}

bool guard_wanted() {
  const char* setting = std::getenv("AMOC_GUARD");
  return !setting || std::string_view{setting} != "0";
}

bool make_page() {
  if (page)
    return true;
  void* mem =
    ::mmap(nullptr, sizeof(shared_page), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED)
    return false;
  page = new (mem) shared_page{};
  return true;
}

}  // namespace

std::string report::describe() const {
  std::string text = ::sigabbrev_np(signal) ? std::string{"SIG"} + ::sigabbrev_np(signal)
                                            : "signal " + std::to_string(signal);
  if (const char* name = ::strsignal(signal))
    text += std::string{" ("} + name + ")";
  if (!what.empty())
    text += ", uncaught: " + what;
  if (!scenario.empty())
    text += " in scenario " + scenario;
  if (user != 0)
    text += (scenario.empty() ? " in " : ", ") + std::string{"user "} + std::to_string(user);
  return text;
}

ending run_guarded(const std::function<int()>& child) {
  if (!guard_wanted() || !make_page())
    return {child(), {}};
  return fork_and_wait(child);
}

ending run_restarting(const std::function<int()>& child, int restarts,
                      const std::function<void(const report&)>& on_crash) {
  if (!guard_wanted() || !make_page())
    return {child(), {}};
  std::vector<std::chrono::steady_clock::time_point> crashes;
  for (;;) {
    auto end = fork_and_wait(child);
    if (!end.crashed())
      return end;
    on_crash(end.crash);
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(crashes, [&](auto t) { return now - t > std::chrono::minutes{1}; });
    crashes.push_back(now);
    if (static_cast<int>(crashes.size()) > restarts)
      return end;
    page->previous_signal = end.crash.signal;
    page->previous_user = end.crash.user;
    copy_text(page->previous_scenario, end.crash.scenario);
    copy_text(page->previous_what, end.crash.what);
    std::this_thread::sleep_for(std::chrono::seconds{1});
  }
}

report previous_crash() {
  report r;
  if (!page || page->previous_signal == 0)
    return r;
  r.signal = page->previous_signal;
  r.user = page->previous_user;
  r.scenario = page->previous_scenario;
  r.what = page->previous_what;
  return r;
}

void note_for_restart(std::string_view note) noexcept {
  if (page)
    copy_text(page->note, note);
}

std::string note_from_previous() { return page ? page->note : ""; }

void set_scenario(std::string_view name) noexcept {
  if (page)
    copy_text(page->scenario, name);
}

user_scope::user_scope(std::uint64_t user) noexcept
    : previous_(std::exchange(current_user, user)) {}

user_scope::~user_scope() { current_user = previous_; }

}  // namespace amoc::crash
