// xmpp_floor: the floor amoc's XMPP client is measured against (issue 19;
// scripts/bench/xmpp-floor runs both side by side).
//
// What amoc's xmpp_one_to_one scenario does per user, and nothing else: one
// thread, one epoll loop, non-blocking sockets, strings built up front or by
// one snprintf, no XML parsing beyond finding the few tags it needs, no
// allocation per message. Per user: plain TCP, stream header, features, SASL
// PLAIN user_N/password_N, stream restart, resource bind, session only when
// the server requires it (as amoc's steps::session), <presence/>; then
// `messages` chats to the partner (1<->2, 3<->4, ...), one every `interval`
// counted from the previous send, each carrying amoc's send timestamp
// (<sent xmlns='urn:amoc:ttd' us='...'/>); then at most `linger` for the
// partner's last messages, </stream:stream>, and the server's before closing.
// Users arrive at `rate` per second. Every phase has a timeout, the run a
// hard deadline. Prints one line; exits 1 when a user failed, 2 on bad
// arguments or when users were still running at the hard deadline.
// A little over 400 lines: the user's state machine is one switch that reads
// best whole; its text handling, options, timers and output are in headers.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "xmpp_floor_options.hpp"
#include "xmpp_floor_output.hpp"
#include "xmpp_floor_stanzas.hpp"
#include "xmpp_floor_text.hpp"
#include "xmpp_floor_timers.hpp"

namespace {

using namespace floor_client;
using std::string_view;

enum class state : std::uint8_t {
  connecting,
  features,
  sasl,
  features_bound,
  bind,
  session,
  chat,
  linger,
  closing,
  over
};

struct user {
  int fd = -1;
  state st = state::connecting;
  bool need_session = false;
  std::int32_t sent = 0, received = 0;
  std::int32_t heap_pos = -1;  // in the timer heap; -1 when no timer is due
  std::int64_t deadline = 0;   // monotonic ns
  std::string pending_in;      // an incomplete element, usually empty
  std::string pending_out;     // what the socket did not take yet, usually empty
};

options opt;
std::vector<user> users;
timer_heap<user> timers{users};
int ep = -1;
std::int64_t now = 0;  // monotonic ns, read once per loop turn
std::int64_t run_start = 0, spacing = 0;
long active = 0, logged_in = 0, sent = 0, received = 0, login_failures = 0, other_failures = 0;
histogram ttd_us, login_us;

std::int64_t mono_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::int64_t wall_us() {
  timespec t{};
  clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

long index_of(const user& u) { return static_cast<long>(&u - users.data()); }
long id_of(const user& u) { return opt.first + index_of(u); }

// ---- ending a user

void finish(user& u, const char* failure) {
  if (failure) {
    ++(u.st < state::chat ? login_failures : other_failures);
    if (login_failures + other_failures <= 5)  // the first few say why
      std::fprintf(stderr, "xmpp_floor: user_%ld: %s\n", id_of(u), failure);
  }
  timers.cancel(u);
  if (u.fd >= 0)
    close(u.fd);  // also leaves the epoll set
  u.fd = -1;
  std::string{}.swap(u.pending_in);
  std::string{}.swap(u.pending_out);
  u.st = state::over;
  --active;
}

// ---- writing

output out(user& u) { return {ep, u.fd, static_cast<std::uint32_t>(index_of(u)), u.pending_out}; }

void send_or_fail(user& u, string_view data) {
  if (!out(u).send(data))
    finish(u, "send failed");
}

// ---- what is sent

stanzas::buffer header_text;
string_view header;  // the stream header, the same for every user

void send_auth(user& u) {
  stanzas::buffer xml;
  send_or_fail(u, stanzas::auth(xml, id_of(u)));
}

void send_chat(user& u) {
  stanzas::buffer xml;
  const long id = id_of(u), partner = id % 2 ? id + 1 : id - 1;
  const auto text = stanzas::chat(xml, opt.domain, id, partner, u.sent, wall_us());
  ++u.sent;
  ++sent;
  send_or_fail(u, text);
}

// ---- the protocol

void start_closing(user& u) {
  u.st = state::closing;
  timers.set(u, now + opt.step_timeout_ns);
  send_or_fail(u, stanzas::stream_close);
}

void on_logged_in(user& u) {
  login_us.record((now - (run_start + spacing * index_of(u))) / 1000);
  ++logged_in;
  u.st = state::chat;
  send_or_fail(u, stanzas::presence);
  if (u.st == state::over)
    return;
  if (opt.messages == 0)
    return start_closing(u);  // amoc's loop and linger end at once too
  timers.set(u, now + opt.interval_ns);
}

// A message element received: a chat with a body counts, its timestamp gives
// its time to delivery.
bool on_message(string_view element) {
  const auto sent_us = chat_sent_us(element);
  if (!sent_us)
    return false;
  if (*sent_us)
    ttd_us.record(wall_us() - *sent_us);
  return true;
}

// After login: counts chat messages, notices the server's </stream:stream>.
// Returns the bytes used (an incomplete element is left).
std::size_t read_stanzas(user& u, string_view text) {
  std::size_t pos = 0;
  while ((pos = text.find('<', pos)) != string_view::npos) {
    const auto end = element_end(text, pos);
    if (!end)
      return pos;
    const auto element = text.substr(pos, end - pos);
    if (element.starts_with("<message") && on_message(element)) {
      ++u.received;
      ++received;
    } else if (element.starts_with("</stream:stream>")) {
      if (u.st == state::closing)
        finish(u, nullptr);
      else
        finish(u, "the server closed the stream");
      return text.size();
    }
    pos = end;
  }
  return text.size();
}

// Login: each state waits for one element. Returns the bytes used, 0 when
// what it waits for is not all there.
std::size_t login_step(user& u, string_view text) {
  std::size_t at = 0, end = 0;
  switch (u.st) {
  case state::features:
  case state::features_bound:
    if ((at = text.find("</stream:features>")) == string_view::npos)
      return 0;
    end = at + 18;
    if (u.st == state::features) {
      if (!has(text.substr(0, end), ">PLAIN<"))
        return finish(u, "the server offers no SASL PLAIN"), text.size();
      u.st = state::sasl;
      send_auth(u);
      return end;
    }
    if (!has(text.substr(0, end), "urn:ietf:params:xml:ns:xmpp-bind"))
      return finish(u, "the stream features have no <bind/>"), text.size();
    u.need_session = session_required(text.substr(0, end));
    u.st = state::bind;
    send_or_fail(u, stanzas::bind_request);
    return end;
  case state::sasl:
    if (has(text, "<failure"))
      return finish(u, "SASL failure"), text.size();
    if ((at = text.find("<success")) == string_view::npos || !(end = element_end(text, at)))
      return 0;
    u.st = state::features_bound;
    send_or_fail(u, header);  // the stream restart
    return end;
  case state::bind:
  case state::session:
    if ((at = text.find(u.st == state::bind ? "bind_1" : "sess_1")) == string_view::npos
        || (at = text.rfind("<iq", at)) == string_view::npos || !(end = element_end(text, at)))
      return 0;
    if (!has_attribute(text.substr(at, text.find('>', at) - at), "type", "result"))
      return finish(u, "the server refused bind or session"), text.size();
    if (u.st == state::bind && u.need_session) {
      u.st = state::session;
      send_or_fail(u, stanzas::session_request);
      return end;
    }
    on_logged_in(u);
    return end;
  default: return 0;
  }
}

// Uses what it can of the bytes received; returns how many it used.
std::size_t on_bytes(user& u, string_view text) {
  std::size_t used = 0;
  while (used < text.size() && u.st < state::chat) {
    const auto n = login_step(u, text.substr(used));
    if (n == 0 || u.st == state::over)
      return u.st == state::over ? text.size() : used;
    used += n;
  }
  if (u.st == state::over)
    return text.size();
  used += read_stanzas(u, text.substr(used));
  if (u.st == state::linger && u.received >= opt.messages)
    start_closing(u);
  return used;
}

char read_buffer[1 << 16];

void on_readable(user& u) {
  for (;;) {
    const auto n = recv(u.fd, read_buffer, sizeof read_buffer, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    if (n <= 0)
      return finish(u, u.st == state::closing ? nullptr : n ? "read failed" : "connection closed");
    string_view chunk{read_buffer, static_cast<std::size_t>(n)};
    if (u.pending_in.empty()) {
      const auto used = on_bytes(u, chunk);
      if (u.st != state::over && used < chunk.size())
        u.pending_in.assign(chunk.substr(used));
    } else {  // an incomplete element waits: join, then use what is whole
      u.pending_in.append(chunk);
      const auto used = on_bytes(u, u.pending_in);
      if (u.st == state::over)
        return;
      u.pending_in.erase(0, used);
      if (u.pending_in.empty())
        std::string{}.swap(u.pending_in);
    }
    if (u.st == state::over)
      return;
    if (u.pending_in.size() > max_pending)
      return finish(u, "over 1 MiB received without a whole element");
    // Level-triggered: a short read emptied the socket, and epoll tells of
    // more; no second recv() just to hear EAGAIN.
    if (static_cast<std::size_t>(n) < sizeof read_buffer)
      return;
  }
}

void on_connected(user& u) {
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(u.fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err)
    return finish(u, std::strerror(err));
  u.st = state::features;
  out(u).want_writable(false);
  timers.set(u, now + opt.step_timeout_ns);
  send_or_fail(u, header);
}

void on_event(user& u, std::uint32_t events) {
  if (u.st == state::connecting)
    return on_connected(u);
  if ((events & EPOLLOUT) && !u.pending_out.empty() && !out(u).flush())
    return finish(u, "send failed");
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
    on_readable(u);
}

void on_timer(user& u) {
  switch (u.st) {
  case state::chat:
    send_chat(u);
    if (u.st == state::over)
      return;
    if (u.sent < opt.messages)
      return timers.set(u, now + opt.interval_ns);
    if (u.received >= opt.messages)
      return start_closing(u);
    u.st = state::linger;
    return timers.set(u, now + opt.linger_ns);
  case state::linger: return start_closing(u);
  case state::closing: return finish(u, "no </stream:stream> from the server in time");
  default: return finish(u, "login step timed out");
  }
}

void start_user(user& u, const sockaddr_in& server) {
  ++active;
  u.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (u.fd < 0)
    return finish(u, std::strerror(errno));
  const int one = 1;
  setsockopt(u.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // as amoc
  epoll_event ev{};
  ev.events = EPOLLOUT | EPOLLIN;
  ev.data.u32 = static_cast<std::uint32_t>(index_of(u));
  epoll_ctl(ep, EPOLL_CTL_ADD, u.fd, &ev);
  timers.set(u, now + opt.step_timeout_ns);  // amoc's connect timeout: 5 s too
  if (connect(u.fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) < 0
      && errno != EINPROGRESS)
    finish(u, std::strerror(errno));
}

// Runs every user to its end or to the hard deadline; false at the deadline.
bool run(const sockaddr_in& server) {
  run_start = now = mono_ns();
  spacing = opt.rate > 0 ? static_cast<std::int64_t>(1e9 / opt.rate) : 0;
  const std::int64_t hard_deadline = run_start + spacing * opt.users + 6 * opt.step_timeout_ns
                                     + (opt.messages + 1) * (opt.interval_ns + 1'000'000'000)
                                     + opt.linger_ns;
  long arrived = 0;
  epoll_event events[256];
  while (arrived < opt.users || active > 0) {
    for (; arrived < opt.users && run_start + spacing * arrived <= now; ++arrived)
      start_user(users.emplace_back(), server);
    while (!timers.empty() && timers.earliest().deadline <= now) {
      auto& u = timers.earliest();
      timers.cancel(u);
      on_timer(u);
    }
    if (arrived == opt.users && active == 0)
      break;  // the last users ended on a timer: nothing to wait for
    auto next = timers.empty() ? hard_deadline : timers.earliest().deadline;
    if (arrived < opt.users)
      next = std::min(next, run_start + spacing * arrived);
    const auto wait_ms =
      next > now ? std::min<std::int64_t>((next - now + 999'999) / 1'000'000, 1000) : 0;
    const int n = epoll_wait(ep, events, 256, static_cast<int>(wait_ms));
    now = mono_ns();
    for (int i = 0; i < n; ++i) {
      auto& u = users[events[i].data.u32];
      if (u.st != state::over)
        on_event(u, events[i].events);
    }
    if (now > hard_deadline) {
      std::fprintf(stderr, "xmpp_floor: %ld users still running at the hard deadline\n", active);
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parse(argc, argv);
  if (!parsed)
    return 2;
  opt = *parsed;
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(static_cast<std::uint16_t>(opt.port));
  if (inet_pton(AF_INET, opt.host, &server.sin_addr) != 1) {
    std::fprintf(stderr, "xmpp_floor: --host %s is not an IPv4 address\n", opt.host);
    return 2;
  }
  header = stanzas::stream_header(header_text, opt.domain);
  // Reserved, not filled: a user's state is written when it arrives, so the
  // pages it takes count in the RSS measured per connected user, not in the
  // baseline before the first one (scripts/bench/xmpp-floor).
  users.reserve(static_cast<std::size_t>(opt.users));
  timers.reserve(static_cast<std::size_t>(opt.users));
  if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
    std::perror("xmpp_floor: epoll_create1");
    return 2;
  }
  // What every run needs is in memory before the first user: RSS measured
  // from outside then is this process's baseline (scripts/bench/xmpp-floor).
  std::memset(read_buffer, 0, sizeof read_buffer);
  ttd_us.touch();
  login_us.touch();
  if (opt.start_delay_ns)
    std::this_thread::sleep_for(std::chrono::nanoseconds{opt.start_delay_ns});
  const bool ended = run(server);
  std::printf("xmpp_floor_client users=%ld logged_in=%ld sent=%ld received=%ld login_failures=%ld "
              "other_failures=%ld ttd_p50_ms=%.3f ttd_p99_ms=%.3f login_p50_ms=%.3f wall_s=%.3f\n",
              opt.users, logged_in, sent, received, login_failures, other_failures,
              ttd_us.percentile(50) / 1000, ttd_us.percentile(99) / 1000,
              login_us.percentile(50) / 1000, static_cast<double>(now - run_start) / 1e9);
  if (!ended)
    return 2;
  return login_failures || other_failures || logged_in < opt.users ? 1 : 0;
}
