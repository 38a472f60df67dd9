#include "amoc/http/error.hpp"

#include <strings.h>

namespace amoc::http {

const char* to_string(phase p) noexcept {
  switch (p) {
  case phase::request: return "request";
  case phase::resolve: return "resolve";
  case phase::connect: return "connect";
  case phase::tls: return "tls";
  case phase::write: return "write";
  case phase::read: return "read";
  case phase::timeout: return "timeout";
  }
  return "unknown";
}

const char* to_string(method m) noexcept {
  switch (m) {
  case method::get: return "GET";
  case method::head: return "HEAD";
  case method::post: return "POST";
  case method::put: return "PUT";
  case method::patch: return "PATCH";
  case method::del: return "DELETE";
  case method::options: return "OPTIONS";
  }
  return "GET";
}

std::optional<std::string_view> response::header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.name.size() == name.size() && ::strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return std::string_view{h.value};
  return std::nullopt;
}

}  // namespace amoc::http
