#pragma once

// The background node's pid file, locked (flock) for as long as the node runs:
// a second node cannot take it, and a stale file (a crashed node) is no lock.

#include <sys/types.h>

#include <filesystem>
#include <memory>

#include <caf/expected.hpp>

namespace amoc::console {

class pid_file {
public:
  /// Locks the file and writes this process's pid; the error names the pid
  /// of the node that holds it.
  [[nodiscard]] static caf::expected<std::unique_ptr<pid_file>>
  acquire(const std::filesystem::path& path);

  /// The pid of the running node holding `path`, or 0 when none does.
  [[nodiscard]] static pid_t holder(const std::filesystem::path& path);

  /// Removes the file and releases the lock.
  ~pid_file();
  pid_file(const pid_file&) = delete;
  pid_file& operator=(const pid_file&) = delete;

private:
  pid_file(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::filesystem::path path_;
  int fd_;
};

}  // namespace amoc::console
