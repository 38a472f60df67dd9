#pragma once

/// Reading outside input safely: files a user names (run files, config files)
/// and JSON from anywhere (files, REST bodies, messages between nodes). Every
/// reader of outside input goes through these, so the limits hold everywhere.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "amoc/error.hpp"

namespace amoc::input {

/// The deepest nesting of arrays and objects amoc accepts in any JSON document.
/// Real documents use a handful of levels; deeper ones are an attack or a bug
/// (nlohmann's serializer recurses once per level).
inline constexpr std::size_t max_json_depth = 64;

/// The largest run or config file amoc reads (16 MiB): a real one is a few KB.
inline constexpr std::size_t max_file_bytes = 16 << 20;

/// The whole text of a regular file of at most `limit` bytes. A directory,
/// FIFO, socket or device, a file too large, or one that cannot be opened or
/// read gives error `code` naming the path and the reason (`strerror` text).
[[nodiscard]] caf::expected<std::string> read_file(const std::string& path, ec code,
                                                   std::size_t limit = max_file_bytes);

/// Reads a regular file of at most `max_bytes` as a stream, handing `sink`
/// each piece as it is read (false from `sink` stops early), for inputs too
/// large to hold whole (a users file). Refuses what `read_file` refuses;
/// `what` names such a file in the size message ("a users file").
[[nodiscard]] caf::error read_chunks(const std::string& path, ec code, std::uint64_t max_bytes,
                                     const char* what,
                                     const std::function<bool(std::string_view)>& sink);

/// The nesting depth of a JSON text (arrays and objects), without parsing it.
[[nodiscard]] std::size_t json_depth(std::string_view text) noexcept;

/// Parses `text` as JSON. A malformed document (the message gives line and
/// column) or one nested deeper than `max_json_depth` gives error `code`.
[[nodiscard]] caf::expected<nlohmann::json> parse_json(std::string_view text, ec code);

}  // namespace amoc::input
