#pragma once

// The fields of the execution requests' bodies, each checked with an error
// (ec::invalid_argument and friends) that names the field.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/scenario.hpp"
#include "context.hpp"

namespace amoc::rest {

/// The one node of a local amoc, as the API names it.
inline constexpr const char* local_node = "local";

// The user count of start and add: a positive integer up to the runtime's
// limit. Remove takes any positive count (it removes at most what runs).
constexpr auto max_users = defaults::runtime::max_users_per_request;
constexpr auto any_count = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

/// The request body as a JSON object ({} when empty), nested no deeper than
/// amoc::input::max_json_depth.
[[nodiscard]] caf::expected<json> body_object(const web::request& req);

/// "users": a positive integer up to `max`; `required`, or 0 when absent.
[[nodiscard]] caf::expected<std::uint64_t> users_field(const json& body, bool required,
                                                       std::uint64_t max = max_users);

// An optional field of a JSON type `is`, named in the error as `kind`.
template <class T>
caf::expected<T> optional_field(const json& body, const char* name, T fallback,
                                bool (json::*is)() const noexcept, const char* kind) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null())
    return fallback;
  if (!((*it).*is)())
    return make_error(ec::invalid_argument,
                      std::string{"'"} + name + "' must be " + kind + ", got " + it->dump());
  return it->get<T>();
}

/// "nodes": a list of node names (empty when absent).
[[nodiscard]] caf::expected<std::vector<std::string>> nodes_field(const json& body);

/// The nodes a request chose; a local amoc has one node, "local": naming it
/// is the same as naming none.
[[nodiscard]] caf::expected<std::vector<std::string>> chosen_nodes(context& ctx, const json& body);

// The body of add_users and remove_users: {"users": n, "nodes": [...], ...}.
struct users_request {
  json body;
  std::uint64_t users;
  std::vector<std::string> nodes;
};

[[nodiscard]] caf::expected<users_request> users_request_of(context& ctx, const web::request& req,
                                                            std::uint64_t max);

/// "settings": an object of name: value ({} when absent).
[[nodiscard]] caf::expected<json> settings_field(const json& body);

/// Checks settings against the declarations of the scenario and the built-in
/// ones, before anything starts: a bad value is an error naming it.
[[nodiscard]] caf::error check_settings(const json& settings, const scenario_info& info);

/// Sets the settings of a start; those of the previous REST start give way.
void apply_start_settings(context& ctx, const json& settings);

}  // namespace amoc::rest
