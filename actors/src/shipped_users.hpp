#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "amoc/users_file.hpp"

namespace amoc::detail {

/// The users-file rows a master shipped to this worker node (workers never
/// read the file: they may not share the master's filesystem). The node agent
/// puts each block here as it arrives, before the `run` or `add` that needs
/// it; the user supervisor takes the run's table when the run starts.
class shipped_users {
public:
  /// A block for the next run (sent before its `run`) or the current one (before an `add`).
  void receive(bool next_run, users::block b);
  /// At the agent's `run`: the rows shipped for the next run become the
  /// current run's (none: the run has no users file).
  void begin_run();
  /// The current run's table, or nullptr.
  [[nodiscard]] std::shared_ptr<const users::table> current() const;
  /// "rows of 5 users (1..9/2), usernames of 10" since the last call, "" if none arrived.
  [[nodiscard]] std::string take_news();

private:
  mutable std::mutex mutex_;
  std::shared_ptr<users::table> next_;
  std::shared_ptr<users::table> current_;
  std::uint64_t full_rows_ = 0;
  std::uint64_t username_rows_ = 0;
  std::string full_ids_;
};

}  // namespace amoc::detail
