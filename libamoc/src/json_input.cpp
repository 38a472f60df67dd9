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

struct fd_guard {
  int fd;
  ~fd_guard() { ::close(fd); }
};

}  // namespace

caf::expected<std::string> read_file(const std::string& path, ec code, std::size_t limit) {
  auto problem = [&](const std::string& why) { return make_error(code, path + ": " + why); };
  const std::string may_have =
    limit == max_file_bytes ? " MiB a run or config file may have" : " MiB such a file may have";
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
  if (static_cast<std::size_t>(st.st_size) > limit)
    return problem("cannot read: " + std::to_string(st.st_size) + " bytes, more than the "
                   + std::to_string(limit >> 20) + may_have);
  std::string text;
  text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  // Reads to EOF, but never past the cap: the file may grow while we read.
  for (;;) {
    if (done == text.size()) {
      if (text.size() > limit)
        return problem("cannot read: it grew past " + std::to_string(limit >> 20)
                       + " MiB while being read");
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
