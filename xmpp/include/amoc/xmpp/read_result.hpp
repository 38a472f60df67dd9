#pragma once

/// `amoc::xmpp::read_result<T>`: what a stanza reader (`read_mam_message`,
/// `read_muc_presence`, ...) returns: the value read, or why the stanza could
/// not be read ("MAM result: <result/> without an id (XEP-0313 §4.2) in: <message ...").
/// Errors are values here, but not CAF ones: the scenario API stays free of CAF.
///
///   auto item = read_mam_message(s);
///   if (!item) log << item.error();   // or:
///   auto body = read_mam_message(s).value().message.body();  // throws xmpp::error

#include <optional>
#include <string>
#include <utility>

#include "amoc/xmpp/error.hpp"

namespace amoc::xmpp {

/// Why a stanza could not be read (converts to any `read_result`).
struct read_error {
  std::string why;  ///< what is missing or wrong, and the stanza's start
};

/// The value read from a stanza, or a `read_error`.
template <class T>
class [[nodiscard]] read_result {
public:
  /// A value.
  read_result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  /// A failure.
  read_result(read_error e) : error_(std::move(e.why)) {}  // NOLINT: implicit by design

  /// Whether a value was read.
  [[nodiscard]] bool has_value() const noexcept { return value_.has_value(); }
  /// `has_value()`.
  explicit operator bool() const noexcept { return has_value(); }
  /// The value; only when `has_value()`.
  [[nodiscard]] T& operator*() & { return *value_; }
  /// The value; only when `has_value()`.
  [[nodiscard]] const T& operator*() const& { return *value_; }
  /// The value's members; only when `has_value()`.
  [[nodiscard]] T* operator->() { return &*value_; }
  /// The value's members; only when `has_value()`.
  [[nodiscard]] const T* operator->() const { return &*value_; }
  /// The value, or throws `xmpp::error` (phase receive, condition
  /// "bad-stanza") with `error()`: a scenario that cannot go on without it
  /// ends the user with that reason.
  [[nodiscard]] T& value() & {
    check();
    return *value_;
  }
  /// As `value() &`, moving the value out.
  [[nodiscard]] T value() && {
    check();
    return std::move(*value_);
  }
  /// Why nothing was read; "" when a value was.
  [[nodiscard]] const std::string& error() const noexcept { return error_; }

private:
  void check() const {
    if (!value_)
      throw xmpp::error(phase::receive, "bad-stanza", error_);
  }

  std::optional<T> value_;
  std::string error_;
};

}  // namespace amoc::xmpp
