// user::param and username_of: the user's row of the run's users file.

#include "amoc/user.hpp"

#include "amoc/users_file.hpp"

namespace amoc {

namespace {

std::string quoted(std::string_view name) { return "`" + std::string{name} + "`"; }

}  // namespace

std::string_view user::param(std::string_view column) const {
  const auto* rows = users_table();
  if (!rows)
    throw config::error("users_file", "user " + std::to_string(id_) + " reads column "
                                        + quoted(column) + ", but no users_file is set");
  if (!rows->has_column(column))
    throw config::error("users_file", rows->source() + " has no column " + quoted(column)
                                        + " (its columns: " + rows->columns_text() + ")");
  if (auto value = rows->field(id_, column))
    return *value;
  throw config::error("users_file", rows->source() + ": no row for user " + std::to_string(id_)
                                      + " on this node");
}

std::string user::param(std::string_view column, std::string fallback) const {
  const auto* rows = users_table();
  if (!rows || !rows->has_column(column))
    return fallback;
  return std::string{param(column)};
}

std::string_view user::username_of(std::uint64_t id) const {
  const auto* rows = users_table();
  if (!rows)
    throw config::error("users_file", "user " + std::to_string(id_) + " asks for user "
                                        + std::to_string(id)
                                        + "'s username, but no users_file is set");
  if (auto value = rows->field(id, "username"))
    return *value;
  throw config::error("users_file", rows->source() + ": no row for user " + std::to_string(id)
                                      + " (row N is user N; rows before the run's first id "
                                        "are not kept)");
}

}  // namespace amoc
