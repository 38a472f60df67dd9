#pragma once

/// Logging for scenarios and the runtime: levelled lines to a replaceable sink
/// (stderr by default; the console installs one that keeps the prompt intact).

#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace amoc::log {

/// How important a line is.
enum class level { debug, info, warning, error };

/// "debug", "info", "warning", "error".
[[nodiscard]] const char* to_string(level lvl);
/// Parses a level name; nullopt for anything else.
[[nodiscard]] std::optional<level> parse_level(std::string_view text);

/// Lines below this level are dropped before they are formatted.
void set_level(level lvl);
/// The level set by `set_level` (info by default).
[[nodiscard]] level current_level();
/// True when lines at `lvl` are written.
[[nodiscard]] inline bool enabled(level lvl) { return lvl >= current_level(); }

/// Receives every line that passes the level filter; must be thread-safe.
using sink = std::function<void(level, std::string_view text)>;
/// Replaces the sink; an empty function restores the stderr sink.
void set_sink(sink s);

/// "12:00:01.250 [info] text\n": how the default sink writes a line.
[[nodiscard]] std::string format_line(level lvl, std::string_view text);

/// Writes one line (a timestamp and the level are added by the default sink).
void write(level lvl, std::string_view text);

/// A line built with `<<` and written when it goes out of scope.
class line {
public:
  line(level lvl, std::string_view prefix) : level_(lvl) {
    if (enabled(lvl))
      stream_.emplace() << prefix;
  }
  line(const line&) = delete;
  line& operator=(const line&) = delete;
  ~line() {
    if (stream_)
      write(level_, stream_->str());
  }

  template <class T>
  line& operator<<(const T& x) {
    if (stream_)
      *stream_ << x;
    return *this;
  }

private:
  level level_;
  std::optional<std::ostringstream> stream_;
};

}  // namespace amoc::log
