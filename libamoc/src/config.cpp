// Settings: typed conversions of raw values (JSON, environment text), rules,
// and the store with its precedence (environment > run time > file > default).
// Over 400 lines on purpose: store::get<T> instantiates the conversions for
// every value type in this one translation unit, which keeps them file-local.

#include "amoc/config.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <type_traits>

#include <unistd.h>  // environ

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/json_input.hpp"
#include "text.hpp"

namespace amoc::config {

namespace {

using detail::lowercase;
using detail::trim;

std::string uppercase(std::string_view text) {
  std::string result{text};
  for (auto& c : result)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

// Strict: the whole (trimmed) text must be the number.
template <class Number>
std::optional<Number> parse_number(std::string_view text) {
  text = trim(text);
  Number value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

// --- conversions of raw values (JSON, or a JSON string holding environment text) ---

std::optional<std::int64_t> to_int64(const json& raw) {
  constexpr auto int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (raw.is_number_unsigned())
    return raw.get<std::uint64_t>() <= int64_max ? std::optional{raw.get<std::int64_t>()}
                                                 : std::nullopt;
  if (raw.is_number_integer())
    return raw.get<std::int64_t>();
  if (raw.is_string())
    return parse_number<std::int64_t>(raw.get_ref<const std::string&>());
  return std::nullopt;
}

std::optional<int> to_int(const json& raw) {
  auto wide = to_int64(raw);
  if (!wide || *wide < std::numeric_limits<int>::min() || *wide > std::numeric_limits<int>::max())
    return std::nullopt;
  return static_cast<int>(*wide);
}

std::optional<std::uint64_t> to_uint64(const json& raw) {
  if (raw.is_number_unsigned() || (raw.is_number_integer() && raw.get<std::int64_t>() >= 0))
    return raw.get<std::uint64_t>();
  if (raw.is_string())
    return parse_number<std::uint64_t>(raw.get_ref<const std::string&>());
  return std::nullopt;
}

std::optional<double> to_double(const json& raw) {
  std::optional<double> value;
  if (raw.is_number())
    value = raw.get<double>();
  else if (raw.is_string())
    value = parse_number<double>(raw.get_ref<const std::string&>());
  if (value && !std::isfinite(*value))
    return std::nullopt;
  return value;
}

std::optional<bool> to_bool(const json& raw) {
  if (raw.is_boolean())
    return raw.get<bool>();
  if (raw.is_number_integer() && (raw == 0 || raw == 1))
    return raw == 1;
  if (!raw.is_string())
    return std::nullopt;
  const auto text = lowercase(trim(raw.get_ref<const std::string&>()));
  if (text == "true" || text == "1" || text == "yes" || text == "on")
    return true;
  if (text == "false" || text == "0" || text == "no" || text == "off")
    return false;
  return std::nullopt;
}

std::optional<std::string> to_text(const json& raw) {
  if (raw.is_string())
    return raw.get<std::string>();
  if (raw.is_number() || raw.is_boolean())
    return raw.dump();
  return std::nullopt;
}

// A JSON number for a duration means milliseconds, like a bare number in text.
std::optional<duration> to_duration(const json& raw) {
  if (raw.is_string())
    return parse_duration(raw.get_ref<const std::string&>());
  if (raw.is_number_unsigned() || (raw.is_number_integer() && raw.get<std::int64_t>() >= 0))
    return parse_duration(std::to_string(raw.get<std::uint64_t>()));
  if (raw.is_number_float())
    return parse_duration(raw.dump());
  return std::nullopt;
}

std::optional<count> to_count(const json& raw) {
  if (raw.is_string() && lowercase(trim(raw.get_ref<const std::string&>())) == "infinity")
    return count::infinity();
  if (auto n = to_uint64(raw))
    return count{*n};
  return std::nullopt;
}

std::vector<std::string> texts_of(const json& array) {
  std::vector<std::string> result;
  for (const auto& element : array)
    result.push_back(element.is_string() ? element.get<std::string>() : element.dump());
  return result;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> result;
  if (trim(text).empty())
    return result;
  for (std::size_t start = 0;;) {
    const auto comma = text.find(',', start);
    result.emplace_back(trim(text.substr(start, comma - start)));
    if (comma == std::string_view::npos)
      return result;
    start = comma + 1;
  }
}

std::optional<std::vector<std::string>> to_list(const json& raw) {
  if (raw.is_array())
    return texts_of(raw);
  if (!raw.is_string())
    return std::nullopt;
  const auto text = trim(raw.get_ref<const std::string&>());
  if (text.starts_with('[')) {
    auto parsed = input::parse_json(text, ec::invalid_config);
    return parsed && parsed->is_array() ? std::optional{texts_of(*parsed)} : std::nullopt;
  }
  return split_commas(text);
}

// Text that is not valid JSON (or nested too deep to be safe) stays a
// string, so `AMOC_x=hello` works for type json.
json to_json(const json& raw) {
  if (!raw.is_string())
    return raw;
  auto parsed = input::parse_json(raw.get_ref<const std::string&>(), ec::invalid_config);
  return parsed ? std::move(*parsed) : raw;
}

template <class T>
std::optional<T> parse_as(const json& raw) {
  if constexpr (std::is_same_v<T, bool>)
    return to_bool(raw);
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return to_int64(raw);
  else if constexpr (std::is_same_v<T, int>)
    return to_int(raw);
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return to_uint64(raw);
  else if constexpr (std::is_same_v<T, double>)
    return to_double(raw);
  else if constexpr (std::is_same_v<T, std::string>)
    return to_text(raw);
  else if constexpr (std::is_same_v<T, duration>)
    return to_duration(raw);
  else if constexpr (std::is_same_v<T, count>)
    return to_count(raw);
  else if constexpr (std::is_same_v<T, std::vector<std::string>>)
    return to_list(raw);
  else
    return to_json(raw);
}

const char* describe(type t) {
  switch (t) {
  case type::integer: return "an integer";
  case type::number: return "a number";
  case type::boolean: return "a boolean (true/false, yes/no, on/off, 1/0)";
  case type::string: return "a string";
  case type::duration: return "a duration (like 50ms, 1.5s, 2m; a bare number is ms)";
  case type::count: return "a count (an integer or infinity)";
  case type::list: return "a list (a JSON array or comma-separated text)";
  case type::json: return "JSON";
  }
  return "a value";
}

template <class T>
const char* describe() {
  if constexpr (std::is_same_v<T, bool>)
    return describe(type::boolean);
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return describe(type::integer);
  else if constexpr (std::is_same_v<T, int>)
    return "an integer (32-bit)";
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return "a non-negative integer";
  else if constexpr (std::is_same_v<T, double>)
    return describe(type::number);
  else if constexpr (std::is_same_v<T, std::string>)
    return describe(type::string);
  else if constexpr (std::is_same_v<T, duration>)
    return describe(type::duration);
  else if constexpr (std::is_same_v<T, count>)
    return describe(type::count);
  else if constexpr (std::is_same_v<T, std::vector<std::string>>)
    return describe(type::list);
  else
    return describe(type::json);
}

template <class T>
std::optional<json> converted(const json& raw) {
  auto value = parse_as<T>(raw);
  if (!value)
    return std::nullopt;
  if constexpr (std::is_same_v<T, duration>)
    return json(value->count());
  else if constexpr (std::is_same_v<T, count>)
    return value->infinite() ? json("infinity") : json(value->value);
  else
    return json(*value);
}

std::string format_number(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(std::begin(buffer), std::end(buffer), value);
  return {buffer, end};
}

// Counts convert to the string "infinity", which is larger than any number.
std::optional<double> numeric_value(const json& value) {
  if (value.is_number())
    return value.get<double>();
  if (value == "infinity")
    return std::numeric_limits<double>::infinity();
  return std::nullopt;
}

}  // namespace

error::error(std::string key, const std::string& what)
    : std::runtime_error("config key '" + key + "': " + what), key_(std::move(key)) {}

namespace rules {

rule positive() {
  return {"a positive number", [](const json& v) { return numeric_value(v).value_or(0) > 0; }};
}

rule non_negative() {
  return {"a non-negative number",
          [](const json& v) { return numeric_value(v).value_or(-1) >= 0; }};
}

rule one_of(std::vector<std::string> choices) {
  std::string description = "one of [";
  for (const auto& choice : choices)
    description += (&choice == &choices.front() ? "" : ", ") + choice;
  description += "]";
  return {std::move(description), [choices = std::move(choices)](const json& v) {
            const auto text = v.is_string() ? v.get<std::string>() : v.dump();
            return std::find(choices.begin(), choices.end(), text) != choices.end();
          }};
}

rule in_range(double low, double high) {
  return {"between " + format_number(low) + " and " + format_number(high),
          [low, high](const json& v) {
            auto n = numeric_value(v);
            return n && low <= *n && *n <= high;
          }};
}

}  // namespace rules

std::optional<json> convert_to(type t, const json& raw) {
  switch (t) {
  case type::integer: return converted<std::int64_t>(raw);
  case type::number: return converted<double>(raw);
  case type::boolean: return converted<bool>(raw);
  case type::string: return converted<std::string>(raw);
  case type::duration: return converted<duration>(raw);
  case type::count: return converted<count>(raw);
  case type::list: return converted<std::vector<std::string>>(raw);
  case type::json: return converted<json>(raw);
  }
  return std::nullopt;
}

namespace {

// Every entry's address: setenv and putenv store a new pointer, unsetenv
// moves the rest, so any change of the environment changes this.
std::uint64_t environment_fingerprint() noexcept {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a over the pointers
  for (char** e = environ; e && *e; ++e)
    h = (h ^ reinterpret_cast<std::uintptr_t>(*e)) * 1099511628211ull;
  return h;
}

std::atomic<std::uint64_t> stores_made{0};

}  // namespace

struct store::impl {
  const std::uint64_t id = ++stores_made;
  std::atomic<std::uint64_t> generation{0};  // bumped by every change, under the lock
  mutable std::shared_mutex mutex;
  json runtime = json::object();
  json file = json::object();
  std::map<std::string, variable, std::less<>> declared;
};

store::store() : impl_(std::make_unique<impl>()) {}

store::~store() = default;

void store::set(std::string_view name, const json& value) {
  std::unique_lock lock{impl_->mutex};
  impl_->runtime[std::string{name}] = value;
  ++impl_->generation;
}

void store::set_text(std::string_view name, std::string_view text) {
  set(name, json(std::string{text}));
}

void store::unset(std::string_view name) {
  std::unique_lock lock{impl_->mutex};
  impl_->runtime.erase(std::string{name});
  ++impl_->generation;
}

void store::set_file_values(const json& object) {
  if (!object.is_object())
    throw std::invalid_argument("config file values must be a JSON object");
  std::unique_lock lock{impl_->mutex};
  impl_->file = object;
  ++impl_->generation;
}

void store::declare(const std::vector<variable>& vars) {
  std::unique_lock lock{impl_->mutex};
  for (const auto& var : vars)
    impl_->declared.insert_or_assign(var.name, var);
  ++impl_->generation;
}

store::stamp store::current_stamp() const noexcept {
  return {impl_->id, impl_->generation.load(), environment_fingerprint()};
}

std::optional<variable> store::declared(std::string_view name) const {
  std::shared_lock lock{impl_->mutex};
  auto it = impl_->declared.find(name);
  if (it == impl_->declared.end())
    return std::nullopt;
  return it->second;
}

std::optional<json> store::lookup_given(std::string_view name, source* from) const {
  auto found = [from](source s, json value) {
    if (from)
      *from = s;
    return std::optional{std::move(value)};
  };
  // getenv at every lookup: tests and operators may change the environment at any time.
  for (const auto& env_name : {"AMOC_" + std::string{name}, "AMOC_" + uppercase(name)})
    if (const char* text = std::getenv(env_name.c_str()))
      return found(source::environment, json(text));
  std::shared_lock lock{impl_->mutex};
  const std::string key{name};
  if (auto it = impl_->runtime.find(key); it != impl_->runtime.end())
    return found(source::runtime, *it);
  if (auto it = impl_->file.find(key); it != impl_->file.end())
    return found(source::file, *it);
  if (from)
    *from = source::missing;
  return std::nullopt;
}

std::optional<json> store::lookup(std::string_view name, source* from) const {
  if (auto given = lookup_given(name, from))
    return given;
  auto var = declared(name);
  if (!var || var->default_text.empty())
    return std::nullopt;
  if (from)
    *from = source::declared;
  return json(var->default_text);
}

std::vector<std::string> store::validate(const std::vector<variable>& vars) const {
  std::vector<std::string> problems;
  for (const auto& var : vars) {
    auto raw = lookup_given(var.name);
    if (!raw && !var.default_text.empty())
      raw = json(var.default_text);
    if (!raw) {
      if (!var.optional)
        problems.push_back(var.name + ": missing (" + var.description + ")");
      continue;
    }
    if (auto problem = check_value(var, *raw))
      problems.push_back(std::move(*problem));
  }
  return problems;
}

std::optional<std::string> check_value(const variable& var, const json& raw) {
  auto value = convert_to(var.type, raw);
  if (!value)
    return var.name + ": value " + raw.dump() + " is not " + describe(var.type);
  if (var.check && !var.check->check(*value))
    return var.name + ": value " + raw.dump() + " breaks rule: " + var.check->description;
  return std::nullopt;
}

json store::runtime_values() const {
  std::shared_lock lock{impl_->mutex};
  return impl_->runtime;
}

json store::file_values() const {
  std::shared_lock lock{impl_->mutex};
  return impl_->file;
}

template <class T>
T store::get(std::string_view name) const {
  auto raw = lookup(name);
  if (!raw)
    throw error(std::string{name}, "missing: no value in AMOC_" + std::string{name}
                                     + ", run-time settings, config file, and no default");
  return convert<T>(name, *raw);
}

template <class T>
T store::get(std::string_view name, T fallback) const {
  if (auto raw = lookup_given(name))
    return convert<T>(name, *raw);
  return fallback;
}

template <class T>
T store::convert(std::string_view name, const json& raw) {
  auto value = parse_as<T>(raw);
  if (!value)
    throw error(std::string{name}, "value " + raw.dump() + " is not " + describe<T>());
  return std::move(*value);
}

#define AMOC_CONFIG_INSTANTIATE(T)                                                                 \
  template T store::get<T>(std::string_view) const;                                                \
  template T store::get<T>(std::string_view, T) const;

AMOC_CONFIG_INSTANTIATE(bool)
AMOC_CONFIG_INSTANTIATE(std::int64_t)
AMOC_CONFIG_INSTANTIATE(int)
AMOC_CONFIG_INSTANTIATE(std::uint64_t)
AMOC_CONFIG_INSTANTIATE(double)
AMOC_CONFIG_INSTANTIATE(std::string)
AMOC_CONFIG_INSTANTIATE(duration)
AMOC_CONFIG_INSTANTIATE(count)
AMOC_CONFIG_INSTANTIATE(std::vector<std::string>)
AMOC_CONFIG_INSTANTIATE(json)

#undef AMOC_CONFIG_INSTANTIATE

store& global() {
  static store instance;
  return instance;
}

void set(std::string_view name, const json& value) { global().set(name, value); }

void set_text(std::string_view name, std::string_view text) { global().set_text(name, text); }

const char* to_string(type t) {
  switch (t) {
  case type::integer: return "integer";
  case type::number: return "number";
  case type::boolean: return "boolean";
  case type::string: return "string";
  case type::duration: return "duration";
  case type::count: return "count";
  case type::list: return "list";
  case type::json: return "json";
  }
  return "json";
}

}  // namespace amoc::config
