#pragma once

// The client's side of a BOSH session (XEP-0124), without the HTTP: what to
// send next within the request window, `rid` sequencing, and the server's
// answers handed out in `rid` order. Pure, so that its rules have unit tests;
// bosh_connection does the I/O.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "bosh_body.hpp"

namespace amoc::xmpp::detail::bosh {

/// What a request does, so that its answer is read right.
enum class request_kind : std::uint8_t {
  create,     ///< session creation: the answer carries the sid and opens the stream
  restart,    ///< stream restart after SASL: the answer opens the new stream
  payload,    ///< stanzas, or nothing (a poll the server holds to push with)
  pause,      ///< asks the server to keep the session idle (XEP-0124 §10)
  terminate,  ///< ends the session
};

/// One HTTP request to send.
struct request {
  std::uint64_t rid;
  request_kind kind;
  std::string body;
};

/// An answer, in `rid` order.
struct answer {
  request_kind kind;
  std::string body;
};

/// Which requests go out when. At most `requests()` are outstanding (XEP-0124
/// §11); when nothing is to be sent, `hold` empty requests wait at the server
/// so that it can push stanzas at once (§10). A restart goes alone and
/// without payload (XEP-0206 §5); nothing goes after the terminate. A pause
/// (§10) goes after what is queued before it; then nothing goes, not even a
/// poll, until `resume`.
class window {
public:
  /// `first_rid`: random, well below 2^53 (§14.1).
  window(std::string domain, std::uint64_t first_rid, unsigned hold, unsigned wait);

  // ---- what the client wants sent, in order -----------------------------------

  /// Opens the stream: creates the session the first time, restarts it after.
  void open_stream();
  /// Queues stanzas or nonzas.
  void send(std::string_view xml);
  /// Ends the session after what is queued.
  void terminate();
  /// Asks the server to keep the session `seconds` with no request outstanding
  /// (XEP-0124 §10), after what is queued; the caller checked `maxpause`.
  void pause(unsigned seconds);
  /// Sends again after a pause: the next request (a poll, or what was queued
  /// meanwhile) takes the next rid and the session goes on. The pause
  /// request itself may still be out: ejabberd 23.01 never answers it (its
  /// session goes on all the same). It is forgotten then, its rid skipped in
  /// the answers' order; returns its rid so that its HTTP request is dropped.
  [[nodiscard]] std::optional<std::uint64_t> resume();

  /// The next request to send now, if the window allows one; an empty poll
  /// only when `may_poll`.
  [[nodiscard]] std::optional<request> next(bool may_poll = true);
  /// Something is queued to be sent (a poll aside).
  [[nodiscard]] bool has_queued() const noexcept { return !queue_.empty(); }

  // ---- what the server answered -----------------------------------------------

  /// The answer to the session creation: the sid and the server's window.
  void created(const response& r);
  /// The body answering request `rid` arrived (in any order).
  void answered(std::uint64_t rid, std::string body);
  /// The next answer in `rid` order, once it arrived.
  [[nodiscard]] std::optional<answer> next_answer();

  // ---- state --------------------------------------------------------------------

  [[nodiscard]] unsigned outstanding() const noexcept { return outstanding_; }
  /// The most requests outstanding at once: the server's `requests`, at most
  /// `hold` + 1 (more would only hold more connections for nothing).
  [[nodiscard]] unsigned requests() const noexcept { return requests_; }
  /// Seconds the server may hold a request (its answer to `wait`).
  [[nodiscard]] unsigned wait() const noexcept { return wait_; }
  [[nodiscard]] bool has_session() const noexcept { return !sid_.empty(); }
  [[nodiscard]] bool terminating() const noexcept { return terminate_sent_; }
  /// The server's longest pause in seconds; nullopt: it announced none.
  [[nodiscard]] std::optional<unsigned> maxpause() const noexcept { return maxpause_; }
  /// The pause request went out and every other request is answered (the
  /// server answers those it held at once): the session rests at the server
  /// until `resume`.
  [[nodiscard]] bool paused() const noexcept;
  /// Bytes queued and not sent yet.
  [[nodiscard]] std::size_t queued_bytes() const noexcept { return queued_bytes_; }

private:
  enum class item_kind : std::uint8_t { restart, payload, pause, terminate };
  struct item {
    item_kind kind;
    std::string xml;
    unsigned pause_seconds = 0;
  };

  request make(request_kind kind, std::string body, std::uint64_t rid);
  [[nodiscard]] std::uint64_t take_rid() { return next_rid_++; }

  std::string domain_;
  std::string sid_;
  std::uint64_t next_rid_;
  std::uint64_t next_answer_rid_;
  unsigned hold_;
  unsigned wait_;
  unsigned requests_ = 1;  // until the server says
  unsigned outstanding_ = 0;
  bool create_wanted_ = false;
  bool create_sent_ = false;
  bool terminate_sent_ = false;
  bool pause_sent_ = false;  // until `resume`
  std::optional<std::uint64_t> pause_rid_;
  std::set<std::uint64_t> forgotten_;  // rids whose answers are not waited for
  std::optional<unsigned> maxpause_;
  std::deque<item> queue_;
  std::size_t queued_bytes_ = 0;
  std::map<std::uint64_t, request_kind> sent_;  // outstanding requests
  std::map<std::uint64_t, answer> answers_;     // arrived, not handed out
};

}  // namespace amoc::xmpp::detail::bosh
