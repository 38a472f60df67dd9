#pragma once

// What the stanza builders and readers of every family share: argument
// checks that throw `std::invalid_argument`, iq openers, data-form fields,
// XEP-0082 times, and the error a reader returns for a malformed stanza.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "amoc/xmpp/read_result.hpp"
#include "amoc/xmpp/stanza.hpp"
#include "xml_writer.hpp"

namespace amoc::xmpp::detail {

using time_point = std::chrono::system_clock::time_point;

/// Throws `std::invalid_argument` unless `value` is one of `allowed`, naming what was wrong.
void require_one_of(std::string_view what, std::string_view value,
                    std::span<const std::string_view> allowed);
inline void require_one_of(std::string_view what, std::string_view value,
                           std::initializer_list<std::string_view> allowed) {
  require_one_of(what, value, std::span{allowed.begin(), allowed.size()});
}
/// Throws `std::invalid_argument(problem)` unless `ok`.
void require(bool ok, std::string_view problem);
/// Room for the fixed markup plus the arguments, escaped text growing a little.
[[nodiscard]] std::size_t estimate(std::size_t fixed, std::initializer_list<std::string_view> args);
/// `<iq type id [to]`: attributes may follow.
xml_writer& open_iq(xml_writer& w, std::string_view type, std::string_view to, std::string_view id);
/// `<iq type to id><name xmlns='xmlns'/></iq>`, the shape of most queries.
[[nodiscard]] stanza iq_with_empty_child(std::string_view type, std::string_view name,
                                         std::string_view xmlns, std::string_view to,
                                         std::string_view id = {});
/// Microseconds since the epoch, 0 before it.
[[nodiscard]] std::uint64_t micros_since_epoch(time_point t);
/// The time in a send stamp `<sent xmlns='urn:amoc:ttd' us='...'/>`; nullopt
/// when `sent` is empty or its `us` is not a number the clock can hold.
[[nodiscard]] std::optional<time_point> read_sent_stamp(pugi::xml_node sent);
/// The same from the `us` attribute's text (a received chat is read unparsed).
[[nodiscard]] std::optional<time_point> read_sent_micros(std::string_view us);
/// XEP-0082 date and time in UTC, with microseconds when they are not zero.
[[nodiscard]] std::string xep0082_datetime(time_point t);
/// Parses an XEP-0082 DateTime ("2010-07-10T23:08:25.123Z", "...+02:00"); nullopt if it is
/// not one or the clock cannot hold it (before 1678, after 2261).
[[nodiscard]] std::optional<time_point> parse_xep0082_datetime(std::string_view text);
/// `<field var [type='hidden']><value/></field>` (XEP-0004 §3.2).
void write_form_field(xml_writer& w, std::string_view var, std::string_view value,
                      bool hidden = false);

/// The error a reader returns for a stanza that is not what it reads:
/// `what` says what is missing, the stanza's start follows.
[[nodiscard]] read_error malformed(std::string_view what, const stanza& s);
/// `malformed` when the stanza is an error reply: names its condition.
[[nodiscard]] read_error error_reply(std::string_view what, const stanza& s);
/// The first element child of `node` (any name); empty if none.
[[nodiscard]] pugi::xml_node first_element(pugi::xml_node node);
/// Serialises `node` (and its children) without indentation.
[[nodiscard]] std::string to_xml(pugi::xml_node node);

}  // namespace amoc::xmpp::detail
