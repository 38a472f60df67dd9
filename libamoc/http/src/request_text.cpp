#include "request_text.hpp"

#include <strings.h>

namespace amoc::http::detail {

namespace {

bool has_header(const headers& hs, std::string_view name) {
  for (const auto& h : hs)
    if (h.name.size() == name.size() && ::strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return true;
  return false;
}

void add_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

// Methods whose requests have a body even when it is empty (RFC 9110 §8.6:
// a POST without Content-Length is ambiguous to some servers).
bool sends_length(method m) { return m == method::post || m == method::put || m == method::patch; }

}  // namespace

std::string serialize(const request& req, const net::url& target,
                      const request_defaults& defaults) {
  std::string out;
  std::size_t size = 96 + target.target.size() + target.origin.host.size() + req.body.size();
  for (const auto& h : req.headers)
    size += h.name.size() + h.value.size() + 4;
  out.reserve(size);
  out.append(to_string(req.method)).append(" ").append(target.target).append(" HTTP/1.1\r\n");
  if (!has_header(req.headers, "host"))
    add_header(out, "Host", target.origin.host_header());
  if (!has_header(req.headers, "user-agent"))
    add_header(out, "User-Agent", defaults.user_agent);
  if (!defaults.keep_alive)
    add_header(out, "Connection", "close");
  for (const auto& h : req.headers)
    add_header(out, h.name, h.value);
  if (!req.body.empty() || sends_length(req.method))
    add_header(out, "Content-Length", std::to_string(req.body.size()));
  out.append("\r\n").append(req.body);
  return out;
}

}  // namespace amoc::http::detail
