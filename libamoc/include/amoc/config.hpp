#pragma once

/// Configuration lookup for scenarios and the runtime: `amoc::config::get`.
///
/// Precedence, highest first (as in the Erlang original):
///   1. the OS environment, `AMOC_<name>` or `AMOC_<NAME>`;
///   2. values set at run time with `set()` (the `application:set_env` equivalent);
///   3. the config file (JSON object; `configs/amoc.json` or `--config FILE`);
///   4. the default passed to `get(name, fallback)`;
///   5. the default of a declared variable.
/// A value missing everywhere is an error that names the key.

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace amoc {

/// Time spans in config and in the scenario API.
using duration = std::chrono::nanoseconds;

/// A count that may be unbounded (`"infinity"` in config).
struct count {
  static constexpr std::uint64_t infinite_value = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t value = infinite_value;

  static constexpr count infinity() { return {}; }
  constexpr bool infinite() const { return value == infinite_value; }
  friend constexpr bool operator==(count, count) = default;
};

/// Parses `50ms`, `2s`, `1m`, `1h`, `250us`, `10ns`, `1.5s`; a bare number means milliseconds.
[[nodiscard]] std::optional<duration> parse_duration(std::string_view text);

/// Renders a duration the way `parse_duration` reads it back (`50ms`, `2s`, `1m`).
[[nodiscard]] std::string to_string(duration d);

/// Renders a count (`infinity` or the number).
[[nodiscard]] std::string to_string(count c);

}  // namespace amoc

namespace amoc::config {

/// The JSON type config values are held in (nlohmann::json).
using json = nlohmann::json;

/// Thrown by `get` when a key is missing or its value does not fit the requested type.
class error : public std::runtime_error {
public:
  error(std::string key, const std::string& what);
  /// The config key the error is about.
  const std::string& key() const noexcept { return key_; }

private:
  std::string key_;
};

/// The value types a declared variable can have.
enum class type { integer, number, boolean, string, duration, count, list, json };

/// The type's name as help and the REST API show it ("duration").
[[nodiscard]] const char* to_string(type t);

/// A validation rule: a predicate over the converted value plus its description
/// ("a positive integer", "one of [a, b]") used in error messages.
struct rule {
  std::string description;
  std::function<bool(const json&)> check;
};

/// Ready-made rules.
namespace rules {
[[nodiscard]] rule positive();                                ///< number > 0
[[nodiscard]] rule non_negative();                            ///< number >= 0
[[nodiscard]] rule one_of(std::vector<std::string> choices);  ///< string in the list
[[nodiscard]] rule in_range(double low, double high);         ///< low <= number <= high
}  // namespace rules

/// Whether a declared variable may change while a run is going (live
/// `update_settings`), and what happens then. Read-only unless declared otherwise.
struct update_policy {
  /// Gets the converted value (as `convert_to` gives it) on each node; throw to
  /// refuse the update (the message is reported). Runs on an actor thread.
  using callback = std::function<void(const json& value)>;

  bool allowed = false;
  callback apply = {};

  /// The value is fixed for the whole run.
  [[nodiscard]] static update_policy read_only() { return {}; }
  /// The new value is stored; readers see it from their next `get`.
  [[nodiscard]] static update_policy accept() { return {true, {}}; }
  /// `fn` validates and applies the value before it is stored.
  [[nodiscard]] static update_policy call(callback fn) { return {true, std::move(fn)}; }
};

/// A variable declared by a scenario or a helper module: documented, defaulted, validated.
struct variable {
  std::string name;
  std::string description;
  std::string default_text;  ///< in the same text form as an environment value
  config::type type = type::string;
  std::optional<rule> check;  ///< applied after conversion to `type`
  update_policy update = {};  ///< read-only unless given
  /// No default and not required: `validate` checks it only when it is set.
  bool optional = false;
};

/// Where a value came from.
enum class source { environment, runtime, file, declared, missing };

/// A key/value store with the documented precedence. Thread-safe.
class store {
public:
  store();
  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  /// Sets a value at run time (wins over the file, loses to the environment).
  void set(std::string_view name, const json& value);
  /// Sets a value at run time from text, parsed as the environment would be.
  void set_text(std::string_view name, std::string_view text);
  /// Removes a run-time value.
  void unset(std::string_view name);
  /// Replaces the values read from the config file (a JSON object).
  void set_file_values(const json& object);
  /// Declares variables so that their defaults apply and `validate` can check them.
  void declare(const std::vector<variable>& vars);

  /// Returns the raw value from the environment, run time, file or declared default, or nullopt.
  /// Environment values and declared defaults come back as JSON strings; an empty
  /// `default_text` means the variable has no default.
  [[nodiscard]] std::optional<json> lookup(std::string_view name, source* from = nullptr) const;

  /// Checks every given variable: present (or defaulted), convertible, rule satisfied.
  /// Returns one message per problem, each naming the key, the value and the rule.
  [[nodiscard]] std::vector<std::string> validate(const std::vector<variable>& vars) const;

  /// All run-time values (for status output and shipping to other nodes).
  [[nodiscard]] json runtime_values() const;
  /// The values read from the config file (a JSON object).
  [[nodiscard]] json file_values() const;

  /// Typed access; throws `config::error` naming the key when missing or ill-typed.
  template <class T>
  [[nodiscard]] T get(std::string_view name) const;

  /// Typed access where `fallback` wins over a declared default (precedence 4 before 5).
  template <class T>
  [[nodiscard]] T get(std::string_view name, T fallback) const;

  /// The variable declared under `name`, if any.
  [[nodiscard]] std::optional<variable> declared(std::string_view name) const;

  /// Tells whether anything a lookup could answer may have changed: two
  /// stamps of the same store are equal while no value was set, unset,
  /// loaded or declared and the environment was not changed (setenv,
  /// unsetenv, putenv; text edited in place in a putenv'd buffer is not
  /// seen). For values read per user from an unchanged store: read once,
  /// kept while the stamp stays (each lookup reads the environment).
  struct stamp {
    std::uint64_t store_id = 0;
    std::uint64_t generation = 0;
    std::uint64_t environment = 0;
    friend bool operator==(const stamp&, const stamp&) = default;
  };
  [[nodiscard]] stamp current_stamp() const noexcept;

private:
  // Levels 1-3 only (environment, run time, file): `get(name, fallback)` must
  // consult its fallback before the declared default.
  [[nodiscard]] std::optional<json> lookup_given(std::string_view name,
                                                 source* from = nullptr) const;

  template <class T>
  static T convert(std::string_view name, const json& raw);

  struct impl;
  std::unique_ptr<impl> impl_;
};

// Supported T for get/convert: bool, std::int64_t, int, std::uint64_t, double, std::string,
// amoc::duration, amoc::count, std::vector<std::string>, json. Other types do not link.

/// Converts a raw value (JSON, or a JSON string holding environment text) to `t`.
/// Returns the converted value as JSON (durations as nanoseconds, counts as number or "infinity")
/// or nullopt when it does not fit.
[[nodiscard]] std::optional<json> convert_to(type t, const json& raw);

/// Why `raw` does not fit `var` (its type or rule), naming the key and the value; nullopt if it
/// fits.
[[nodiscard]] std::optional<std::string> check_value(const variable& var, const json& raw);

/// The process-wide default store used by the free functions below.
store& global();

/// `global().get<T>(name)`.
template <class T>
[[nodiscard]] T get(std::string_view name) {
  return global().get<T>(name);
}

/// `global().get<T>(name, fallback)`.
template <class T>
[[nodiscard]] T get(std::string_view name, T fallback) {
  return global().get<T>(name, std::move(fallback));
}

/// `global().set(name, value)` for a JSON value, or from text.
void set(std::string_view name, const json& value);
/// `global().set_text(name, text)`.
void set_text(std::string_view name, std::string_view text);

}  // namespace amoc::config
