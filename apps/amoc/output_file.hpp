#pragma once

// Files `amoc run` writes (--out, --report): checked before the run, so a
// typo in a path costs a second and not a whole load test.

#include <string>

#include <caf/error.hpp>

namespace amoc::cli {

/// Whether `path` can be written, found without creating or changing it:
/// `ec::invalid_argument` naming the option, the path and the reason
/// (`strerror`: a missing folder, a directory, no permission, a read-only
/// file system).
[[nodiscard]] caf::error check_writable(const std::string& option, const std::string& path);

/// Writes `text` to `path` (replacing it); the error names the path and the reason.
[[nodiscard]] caf::error write_file(const std::string& path, const std::string& text);

}  // namespace amoc::cli
