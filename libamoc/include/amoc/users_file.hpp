#pragma once

/// Users from a file (the `users_file` setting): a CSV file whose header names
/// the columns (`username` and `password` required, any others free) and whose
/// row N (1-based, after the header) belongs to user id N. `load` reads and
/// checks a whole file as a stream; a `block` is the rows of some user ids (what
/// a master ships to a worker node); a `table` is what one node of a run holds,
/// read by `user::param`.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "amoc/id_range.hpp"

namespace amoc::users {

/// The largest users file amoc reads (1 GiB, streamed: never held as text).
/// A row of an accounts file is some 20-60 bytes, so this is 20-50 million
/// accounts, beyond the 10 million users one start or add may have; a node
/// holds the rows it keeps at about their size plus 4 bytes per field.
inline constexpr std::uint64_t max_file_bytes = std::uint64_t{1} << 30;
/// The longest row (1 MiB): longer is a quote left open, not an account.
inline constexpr std::size_t max_row_bytes = std::size_t{1} << 20;
/// Columns every users file has.
inline constexpr std::string_view required_columns[] = {"username", "password"};

/// Rows of a users file for the ids of one progression, with some of its
/// columns (every one, or only `username`): fields side by side in one text.
struct block {
  std::string source;                ///< the file, as the setting names it (for messages)
  std::vector<std::string> header;   ///< every column of the file
  id_range ids;                      ///< row N holds user N
  std::vector<std::string> columns;  ///< the columns this block carries, in order
  std::string text;                  ///< the fields, row by row
  std::vector<std::uint32_t> ends;   ///< where each field ends in `text`

  /// The position of user `id` in this block, if it holds that id.
  [[nodiscard]] std::optional<std::uint64_t> index_of(std::uint64_t id) const noexcept;
  /// Field `column` (an index into `columns`) of the row at `index`.
  [[nodiscard]] std::string_view field(std::uint64_t index, std::size_t column) const noexcept;
  /// Appends a row (one field per column).
  void push_row(const std::vector<std::string_view>& fields);
  [[nodiscard]] std::uint64_t rows() const noexcept {
    return columns.empty() ? 0 : ends.size() / columns.size();
  }

  template <class Inspector>
  friend auto inspect(Inspector& f, block& x) {
    return f(x.source, x.header, x.ids, x.columns, x.text, x.ends);
  }
};

/// A users file read and checked.
struct file {
  std::string path;
  std::vector<std::string> header;
  std::uint64_t rows = 0;  ///< rows after the header: users 1..rows
  block kept;              ///< rows `keep_from`..`rows`, every column
};

/// Reads `path` as a stream and checks all of it: a regular file of at most
/// `max_file_bytes`, well-formed CSV (line numbers in messages), a header
/// with `username` and `password` and no column twice, every row as many
/// fields as the header, no empty and no repeated username (naming the
/// rows). Keeps rows from `keep_from` on (none when it is past the end).
/// Errors are `ec::invalid_config`, naming the setting, the file and the problem.
[[nodiscard]] caf::expected<file> load(const std::string& path, std::uint64_t keep_from);

/// An error unless a file of `rows` rows covers users up to `last_id`: says
/// how many users and rows there are (row N is user N).
[[nodiscard]] caf::error check_covers(const std::string& path, std::uint64_t rows,
                                      std::uint64_t first_id, std::uint64_t last_id);

/// Reads the whole of `path` (`load`, keeping no row) and checks that it
/// covers users `first_id`..`last_id` (`check_covers`): what a run checks
/// before it starts, and `amoc check` with it.
[[nodiscard]] caf::error check_file(const std::string& path, std::uint64_t first_id,
                                    std::uint64_t last_id);

/// The rows of `ids` (all of them held by `from`) with `columns`, handed to
/// `out` in blocks of at most about `max_bytes` of text each.
void split(const block& from, id_range ids, const std::vector<std::string>& columns,
           std::size_t max_bytes, const std::function<void(block)>& out);

/// The rows one node holds in a run: blocks added before the users that need
/// them start, read by those users on any thread. Thread-safe.
class table {
public:
  table(std::string source, std::vector<std::string> header);

  /// Adds rows (for a distributed run, as the master ships them).
  void add(block b);

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_; }
  [[nodiscard]] bool has_column(std::string_view column) const noexcept;
  /// Field `column` of user `id`, if this node holds it. The text lives as long as the table.
  [[nodiscard]] std::optional<std::string_view> field(std::uint64_t id,
                                                      std::string_view column) const;
  /// The header as "username, password, ..." for messages.
  [[nodiscard]] std::string columns_text() const;

private:
  std::string source_;
  std::vector<std::string> header_;
  mutable std::shared_mutex mutex_;
  // Blocks with the same columns (every one; usernames only) by first id:
  // the id spans of one group's blocks never overlap.
  struct group {
    std::vector<std::string> columns;
    std::map<std::uint64_t, std::shared_ptr<const block>> blocks;
  };
  std::vector<group> groups_;
};

}  // namespace amoc::users
