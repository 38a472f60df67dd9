// Users files: one streaming pass reads and checks the whole file and keeps
// the rows asked for; usernames are checked for repeats by 64-bit hash, and a
// second pass (only when two hashes meet) names the rows that really repeat.

#include "amoc/users_file.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "amoc/csv.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"

namespace amoc::users {

namespace {

std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  for (const unsigned char c : s)
    h = (h ^ c) * 1099511628211ull;
  return h;
}

caf::error bad(const std::string& path, const std::string& why) {
  return make_error(ec::invalid_config, "users_file " + path + ": " + why);
}

// Feeds the file through the CSV reader, each record to `f`; the first error
// (the file's, the CSV's or `f`'s) stops the reading.
caf::error each_record(const std::string& path,
                       const std::function<caf::error(const csv::record&)>& f) {
  csv::reader reader{max_row_bytes};
  caf::error failed;
  const csv::record_sink sink = [&](const csv::record& r) {
    failed = f(r);
    return !failed;
  };
  std::optional<csv::problem> malformed;
  auto read_error = input::read_chunks(path, ec::invalid_config, max_file_bytes, "a users file",
                                       [&](std::string_view bytes) {
                                         malformed = reader.feed(bytes, sink);
                                         return !malformed && !failed;
                                       });
  if (read_error)
    return make_error(ec::invalid_config, "users_file " + context_of(read_error));
  if (!malformed && !failed)
    malformed = reader.finish(sink);
  if (malformed)
    return bad(path, "line " + std::to_string(malformed->line) + ": " + malformed->what);
  return failed;
}

caf::error check_header(const std::string& path, const std::vector<std::string>& header) {
  std::unordered_set<std::string_view> seen;
  for (const auto& name : header)
    if (!seen.insert(name).second)
      return bad(path, "the header names column `" + name + "` twice");
  for (auto required : required_columns)
    if (!seen.count(required)) {
      std::string names;
      for (const auto& name : header)
        names += (names.empty() ? "" : ", ") + name;
      return bad(path, "the header has no column `" + std::string{required}
                         + "` (a users file starts with a line like `username,password`; "
                           "this one has: "
                         + names + ")");
    }
  return {};
}

// The rows whose usernames share a hash: "alice" in rows 3 and 17, ...
caf::error name_repeats(const std::string& path, std::size_t username_column,
                        const std::unordered_set<std::uint64_t>& suspect_rows) {
  std::unordered_map<std::string, std::vector<std::uint64_t>> rows_of;
  bool header = true;
  std::uint64_t row = 0;
  if (auto err = each_record(path, [&](const csv::record& r) -> caf::error {
        if (r.blank() || std::exchange(header, false))
          return {};
        if (suspect_rows.count(++row))
          rows_of[r.fields[username_column]].push_back(row);
        return {};
      }))
    return err;
  std::vector<std::pair<std::uint64_t, std::string>> repeats;
  for (auto& [name, rows] : rows_of)
    if (rows.size() > 1) {
      std::string where;
      for (std::size_t i = 0; i < rows.size() && i < 5; ++i)
        where += (i == 0 ? "" : i + 1 == rows.size() ? " and " : ", ") + std::to_string(rows[i]);
      if (rows.size() > 5)
        where += " and " + std::to_string(rows.size() - 5) + " more";
      repeats.emplace_back(rows.front(), "`" + name + "` in rows " + where);
    }
  if (repeats.empty())
    return {};  // only the hashes met
  std::sort(repeats.begin(), repeats.end());
  std::string text;
  for (std::size_t i = 0; i < repeats.size() && i < 3; ++i)
    text += (i ? "; " : "") + repeats[i].second;
  if (repeats.size() > 3)
    text += "; and " + std::to_string(repeats.size() - 3) + " more usernames";
  return bad(path, "usernames repeat (each account must be one user's): " + text);
}

// One pass over a users file: the header, then each row checked and kept
// from `keep_from` on; usernames are remembered by hash for `finish`.
struct loader {
  loader(const std::string& path, std::uint64_t keep_from) : keep_from(keep_from) {
    out.path = path;
  }

  caf::error take(const csv::record& r) {
    if (r.blank()) {
      if (!blank_line)
        blank_line = r.line;
      return {};
    }
    if (blank_line)
      return bad(out.path,
                 "line " + std::to_string(blank_line) + " is empty (rows are users: remove it)");
    return out.header.empty() ? header(r) : row(r);
  }

  caf::error header(const csv::record& r) {
    out.header = r.fields;
    // Spreadsheets start UTF-8 files with a byte order mark.
    if (std::string_view{out.header[0]}.starts_with("\xEF\xBB\xBF"))
      out.header[0].erase(0, 3);
    if (auto err = check_header(out.path, out.header))
      return err;
    username = static_cast<std::size_t>(std::find(out.header.begin(), out.header.end(), "username")
                                        - out.header.begin());
    out.kept = block{out.path, out.header, {keep_from, 0, 1}, out.header, {}, {}};
    // All rows kept: their fields are less than the file, and growing a
    // string by doubling would hold up to twice that for a moment.
    std::error_code size_error;
    if (keep_from <= 1)
      if (const auto size = std::filesystem::file_size(out.path, size_error); !size_error)
        out.kept.text.reserve(
          static_cast<std::size_t>(std::min<std::uintmax_t>(size, max_file_bytes)));
    return {};
  }

  caf::error row(const csv::record& r) {
    const auto n = ++out.rows;
    const auto where = "line " + std::to_string(r.line) + " (row " + std::to_string(n) + ")";
    if (r.fields.size() != out.header.size())
      return bad(out.path, where + " has " + std::to_string(r.fields.size())
                             + " fields, the header " + std::to_string(out.header.size()));
    if (r.fields[username].empty())
      return bad(out.path, where + " has an empty username");
    hashes.emplace_back(fnv1a(r.fields[username]), n);
    if (n < keep_from)
      return {};
    if (out.kept.text.size() > std::numeric_limits<std::uint32_t>::max() - max_row_bytes)
      return bad(out.path, "more than 4 GiB of fields");
    fields.assign(r.fields.begin(), r.fields.end());
    out.kept.push_row(fields);
    ++out.kept.ids.count;
    return {};
  }

  // After the last row: a file without rows, or with a username twice.
  caf::error finish() {
    if (out.header.empty())
      return bad(out.path, "it is empty (a users file starts with a header line such as "
                           "`username,password`)");
    if (out.rows == 0)
      return bad(out.path, "it has a header and no rows");
    std::sort(hashes.begin(), hashes.end());
    std::unordered_set<std::uint64_t> suspects;
    for (std::size_t i = 1; i < hashes.size(); ++i)
      if (hashes[i].first == hashes[i - 1].first) {
        suspects.insert(hashes[i].second);
        suspects.insert(hashes[i - 1].second);
      }
    hashes = {};
    return suspects.empty() ? caf::error{} : name_repeats(out.path, username, suspects);
  }

  std::uint64_t keep_from;
  file out;
  std::size_t username = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> hashes;  // (hash, row)
  std::uint64_t blank_line = 0;  // a blank line is fine only at the end
  std::vector<std::string_view> fields;
};

}  // namespace

std::optional<std::uint64_t> block::index_of(std::uint64_t id) const noexcept {
  if (ids.empty() || id < ids.first || (id - ids.first) % ids.stride != 0)
    return std::nullopt;
  const auto index = (id - ids.first) / ids.stride;
  if (index >= ids.count)
    return std::nullopt;
  return index;
}

std::string_view block::field(std::uint64_t index, std::size_t column) const noexcept {
  const auto at = index * columns.size() + column;
  const std::size_t begin = at == 0 ? 0 : ends[at - 1];
  return std::string_view{text}.substr(begin, ends[at] - begin);
}

void block::push_row(const std::vector<std::string_view>& fields) {
  for (auto f : fields) {
    text.append(f);
    ends.push_back(static_cast<std::uint32_t>(text.size()));
  }
}

caf::expected<file> load(const std::string& path, std::uint64_t keep_from) {
  loader l{path, keep_from};
  if (auto err = each_record(path, [&](const csv::record& r) { return l.take(r); }))
    return err;
  if (auto err = l.finish())
    return err;
  return std::move(l.out);
}

caf::error check_covers(const std::string& path, std::uint64_t rows, std::uint64_t first_id,
                        std::uint64_t last_id) {
  if (last_id <= rows)
    return {};
  return bad(path, "it has " + std::to_string(rows) + " rows, and users " + std::to_string(first_id)
                     + ".." + std::to_string(last_id) + " need " + std::to_string(last_id)
                     + " (row N is user N: more users than rows, or ids past the end)");
}

caf::error check_file(const std::string& path, std::uint64_t first_id, std::uint64_t last_id) {
  auto file = load(path, std::numeric_limits<std::uint64_t>::max());
  if (!file)
    return file.error();
  return check_covers(path, file->rows, first_id, last_id);
}

void split(const block& from, id_range ids, const std::vector<std::string>& columns,
           std::size_t max_bytes, const std::function<void(block)>& out) {
  std::vector<std::size_t> picks;
  for (const auto& c : columns)
    picks.push_back(static_cast<std::size_t>(std::find(from.columns.begin(), from.columns.end(), c)
                                             - from.columns.begin()));
  auto fresh = [&](std::uint64_t first) {
    return block{from.source, from.header, {first, 0, ids.stride}, columns, {}, {}};
  };
  block part = fresh(ids.first);
  std::vector<std::string_view> fields(picks.size());
  for (std::uint64_t k = 0; k < ids.count; ++k) {
    const auto id = ids.first + k * ids.stride;
    const auto index = from.index_of(id);
    if (!index)
      continue;  // the caller's mistake; `field` finds nothing for it
    if (part.text.size() >= max_bytes) {
      out(std::move(part));
      part = fresh(id);
    }
    for (std::size_t c = 0; c < picks.size(); ++c)
      fields[c] = from.field(*index, picks[c]);
    part.push_row(fields);
    ++part.ids.count;
  }
  if (part.ids.count > 0)
    out(std::move(part));
}

table::table(std::string source, std::vector<std::string> header)
    : source_(std::move(source)), header_(std::move(header)) {}

void table::add(block b) {
  std::unique_lock lock{mutex_};
  auto g = std::find_if(groups_.begin(), groups_.end(),
                        [&](const group& x) { return x.columns == b.columns; });
  if (g == groups_.end())
    g = groups_.insert(groups_.end(), group{b.columns, {}});
  const auto first = b.ids.first;
  g->blocks.insert_or_assign(first, std::make_shared<const block>(std::move(b)));
}

bool table::has_column(std::string_view column) const noexcept {
  return std::find(header_.begin(), header_.end(), column) != header_.end();
}

std::optional<std::string_view> table::field(std::uint64_t id, std::string_view column) const {
  std::shared_lock lock{mutex_};
  for (const auto& g : groups_) {
    const auto c = std::find(g.columns.begin(), g.columns.end(), column);
    if (c == g.columns.end())
      continue;
    // Within a group the blocks' id spans do not overlap: only the one
    // starting at or before `id` can hold it.
    auto it = g.blocks.upper_bound(id);
    if (it == g.blocks.begin())
      continue;
    const auto& b = *std::prev(it)->second;
    if (const auto index = b.index_of(id))
      return b.field(*index, static_cast<std::size_t>(c - g.columns.begin()));
  }
  return std::nullopt;
}

std::string table::columns_text() const {
  std::string names;
  for (const auto& name : header_)
    names += (names.empty() ? "" : ", ") + name;
  return names;
}

}  // namespace amoc::users
