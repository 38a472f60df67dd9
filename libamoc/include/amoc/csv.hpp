#pragma once

/// An RFC 4180 CSV reader fed in chunks, so a file of any size is read in
/// bounded memory: fields separated by commas, records by CRLF or LF; a field
/// in double quotes may hold commas, line breaks and doubled quotes (`""`).
/// Malformed input is reported with the line it is on.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amoc::csv {

/// One record: its fields (quotes removed, `""` turned into `"`) and the line it starts on.
struct record {
  std::vector<std::string> fields;
  std::uint64_t line = 1;
  /// True for an empty line (one empty field that was not quoted).
  [[nodiscard]] bool blank() const noexcept {
    return fields.size() == 1 && fields[0].empty() && !quoted_;
  }

private:
  friend class reader;
  bool quoted_ = false;
};

/// What is wrong with the input, and on which line (1-based).
struct problem {
  std::uint64_t line = 0;
  std::string what;
};

/// Gets each complete record; returning false stops the reading (no problem).
using record_sink = std::function<bool(const record&)>;

/// The incremental reader: `feed` the bytes in any pieces, then `finish`.
class reader {
public:
  /// A record longer than `max_record_bytes` is a problem (bounded memory).
  explicit reader(std::size_t max_record_bytes = std::size_t{1} << 20)
      : max_record_bytes_(max_record_bytes) {}

  /// Reads `bytes`, handing every record completed by them to `sink`.
  [[nodiscard]] std::optional<problem> feed(std::string_view bytes, const record_sink& sink);
  /// The end of the input: hands over a last record without a line break;
  /// a quoted field still open is a problem.
  [[nodiscard]] std::optional<problem> finish(const record_sink& sink);

private:
  enum class state : std::uint8_t { field_start, unquoted, quoted, quote_in_quoted, after_cr };

  void end_field();
  bool end_record(const record_sink& sink);
  [[nodiscard]] problem at_line(std::string what) const { return {line_, std::move(what)}; }

  std::size_t max_record_bytes_;
  state state_ = state::field_start;
  record current_;
  std::size_t fields_ = 0;  // fields of `current_` filled so far
  std::string field_;
  std::size_t record_bytes_ = 0;
  std::uint64_t line_ = 1;
  std::uint64_t quote_line_ = 1;  // where the open quoted field began
  bool stopped_ = false;
};

/// Every record of a whole text, or the problem that stopped the reading.
struct parsed {
  std::vector<record> records;
  std::optional<problem> error;
};

/// Reads a whole text (for tests and small inputs).
[[nodiscard]] parsed parse(std::string_view text);

}  // namespace amoc::csv
