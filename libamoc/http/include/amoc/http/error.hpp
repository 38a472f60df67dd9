#pragma once

/// Failures of the HTTP client, as values: every request gives an
/// `http::result`, a response or an `http::error` naming the phase it failed
/// in, so a load test counts failures per phase (`http.failures.<phase>`).
/// An HTTP status (404, 500) is a response, not an error.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "amoc/http/message.hpp"
#include "amoc/phase_error.hpp"

namespace amoc::http {

/// Where a request can fail.
enum class phase : std::uint8_t {
  request,  ///< before any I/O: a bad URL, too many redirects
  resolve,  ///< looking up the server's address
  connect,  ///< TCP connection
  tls,      ///< TLS handshake (certificate, name, protocol)
  write,    ///< sending the request
  read,     ///< reading the response (reset, close mid-response, bad HTTP)
  timeout,  ///< connect or request timeout
};

/// All phases, in enum order.
inline constexpr phase all_phases[] = {phase::request, phase::resolve, phase::connect, phase::tls,
                                       phase::write,   phase::read,    phase::timeout};

/// "request", "resolve", "connect", ...
[[nodiscard]] const char* to_string(phase p) noexcept;

/// The name failures carry: "http connect: connection-refused".
[[nodiscard]] constexpr const char* protocol_of(phase) noexcept { return "http"; }

/// A failed request. It is also an exception type: `result::value()` throws it,
/// and uncaught it ends the user with reason `scenario_error` and this message.
using error = phase_error<phase>;

/// A response or the error that prevented one (`std::expected` in spirit).
class [[nodiscard]] result {
public:
  result(response r) : value_(std::move(r)) {}  // NOLINT: implicit, like expected
  result(http::error e) : value_(std::move(e)) {}

  /// True when a response arrived (whatever its status).
  [[nodiscard]] bool ok() const noexcept { return value_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  /// The response; throws the error when there is none.
  [[nodiscard]] response& value() & {
    throw_if_error();
    return std::get<0>(value_);
  }
  [[nodiscard]] const response& value() const& {
    throw_if_error();
    return std::get<0>(value_);
  }
  [[nodiscard]] response&& value() && {
    throw_if_error();
    return std::get<0>(std::move(value_));
  }
  [[nodiscard]] response* operator->() { return &value(); }
  [[nodiscard]] const response* operator->() const { return &value(); }
  [[nodiscard]] response& operator*() & { return value(); }
  [[nodiscard]] const response& operator*() const& { return value(); }

  /// The error; only valid when `!ok()`.
  [[nodiscard]] const http::error& error() const { return std::get<1>(value_); }

private:
  void throw_if_error() const {
    if (!ok())
      throw std::get<1>(value_);
  }

  std::variant<response, http::error> value_;
};

}  // namespace amoc::http
