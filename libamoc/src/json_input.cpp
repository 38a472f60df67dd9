#include "amoc/json_input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace amoc::input {

namespace {

std::string reason(int err) { return std::strerror(err); }

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device";
  return "not a regular file";
}

// nlohmann reports a 1-based byte offset; people want line and column.
std::string position_of(std::string_view text, std::size_t byte) {
  const auto offset = std::min(byte > 0 ? byte - 1 : 0, text.size());
  const auto before = text.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto line_start = before.rfind('\n');
  const auto column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Drops nlohmann's "[json.exception...] parse error at ...: " prefix; we give our own position.
std::string parse_detail(const nlohmann::json::parse_error& e) {
  const std::string what = e.what();
  const auto colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// "16 MiB", or the bytes of a limit that is not a whole number of MiB.
std::string size_text(std::uint64_t bytes) {
  constexpr std::uint64_t mib = 1 << 20;
  return bytes % mib == 0 ? std::to_string(bytes / mib) + " MiB" : std::to_string(bytes) + " bytes";
}

struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

}  // namespace

namespace {

// Opens `path` for reading if it is a regular file of at most `max_bytes`
// (`what` names such a file in the message); the size it had then.
caf::expected<std::pair<int, std::size_t>> open_regular(const std::string& path, ec code,
                                                        std::uint64_t max_bytes, const char* what) {
  auto problem = [&](const std::string& why) { return make_error(code, path + ": " + why); };
  // O_NONBLOCK: opening a FIFO must not wait for a writer before we can refuse it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return problem("cannot open: " + reason(errno));
  fd_guard guard{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return problem("cannot open: " + reason(errno));
  if (S_ISDIR(st.st_mode))
    return problem("cannot open: " + reason(EISDIR));
  // Only regular files: a FIFO or a device can block or never end.
  if (!S_ISREG(st.st_mode))
    return problem(std::string{"cannot read: it is "} + kind_of(st.st_mode));
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return problem("cannot read: " + std::to_string(st.st_size) + " bytes, more than the "
                   + size_text(max_bytes) + " " + what + " may have");
  guard.fd = -1;
  return std::pair{fd, static_cast<std::size_t>(st.st_size)};
}

}  // namespace

caf::expected<std::string> read_file(const std::string& path, ec code, std::size_t limit) {
  auto problem = [&](const std::string& why) { return make_error(code, path + ": " + why); };
  auto opened = open_regular(path, code, limit,
                             limit == max_file_bytes ? "a run or config file" : "such a file");
  if (!opened)
    return opened.error();
  fd_guard guard{opened->first};
  const int fd = opened->first;
  std::string text;
  text.resize(opened->second);
  std::size_t done = 0;
  // Reads to EOF, but never past the cap: the file may grow while we read.
  for (;;) {
    if (done == text.size()) {
      if (text.size() > limit)
        return problem("cannot read: it grew past " + size_text(limit) + " while being read");
      text.resize(std::min(text.size() + 4096, limit + 1));
    }
    const auto n = ::read(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return problem("cannot read: " + reason(errno));
    if (n == 0)
      break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

caf::error read_chunks(const std::string& path, ec code, std::uint64_t max_bytes, const char* what,
                       const std::function<bool(std::string_view)>& sink) {
  auto problem = [&](const std::string& why) { return make_error(code, path + ": " + why); };
  auto opened = open_regular(path, code, max_bytes, what);
  if (!opened)
    return opened.error();
  fd_guard guard{opened->first};
  std::string buffer(std::size_t{1} << 16, '\0');
  std::uint64_t total = 0;
  for (;;) {
    const auto n = ::read(guard.fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return problem("cannot read: " + reason(errno));
    if (n == 0)
      return {};
    total += static_cast<std::uint64_t>(n);
    if (total > max_bytes)
      return problem("cannot read: it grew past " + size_text(max_bytes) + " while being read");
    if (!sink(std::string_view{buffer.data(), static_cast<std::size_t>(n)}))
      return {};
  }
}

std::size_t json_depth(std::string_view text) noexcept {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    switch (c) {
    case '"': in_string = true; break;
    case '[':
    case '{': deepest = std::max(deepest, ++depth); break;
    case ']':
    case '}': depth -= depth > 0; break;
    default: break;
    }
  }
  return deepest;
}

caf::expected<nlohmann::json> parse_json(std::string_view text, ec code) {
  if (const auto depth = json_depth(text); depth > max_json_depth)
    return make_error(code, "JSON nested " + std::to_string(depth) + " levels deep, more than the "
                              + std::to_string(max_json_depth) + " amoc accepts");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return make_error(code, "parse error at " + position_of(text, e.byte) + ": " + parse_detail(e));
  }
}

}  // namespace amoc::input
