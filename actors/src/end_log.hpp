#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include <caf/fwd.hpp>

#include "amoc/error.hpp"

namespace amoc::detail {

/// The users of a run that ended and their supervisor has not booked yet.
///
/// Why not CAF's down messages: a down message is a mailbox element and a copy
/// of the reason, allocated by the ending user's thread and freed by the
/// supervisor's, and it holds the user's last reference, so the supervisor
/// freed each actor too. A forced stop of a million users spent most of its
/// time in malloc and free, largely on glibc's arena locks. Here an ending user
/// appends two words, and only the append that finds the log empty wakes the
/// supervisor, which takes everything written so far at once.
class end_log {
public:
  struct entry {
    caf::actor_id aid;
    exit reason;
  };

  /// Wakes the reader; called by the append that found the log empty (any thread).
  std::function<void()> on_first;

  /// Books user `aid`'s end (any thread).
  void append(caf::actor_id aid, exit reason);
  /// Everything appended since the last call, oldest first, into `out`
  /// (cleared first): the reader's buffer and the log's take turns.
  void take(std::vector<entry>& out);

private:
  std::mutex mutex_;
  std::vector<entry> entries_;  // guarded by mutex_
};

}  // namespace amoc::detail
