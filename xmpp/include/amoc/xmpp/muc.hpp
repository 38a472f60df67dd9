#pragma once

/// Multi-user chat (XEP-0045): entering and leaving rooms, groupchat and
/// subject messages, owner configuration and destruction; predicates for the
/// presences and messages a room sends, and a reader for occupant presences.
///
///   const auto room = "hall@muc.localhost";
///   client.send(stanzas::muc_join(room, "alice"));
///   auto self = co_await client.wait_for_stanza(5s, is::muc_presence(room, "alice", {110}));
///   if (read_muc_presence(self).value().has_status(201))  // a new room: configure it
///     co_await client.send_iq_and_wait_for_result(stanzas::muc_instant_room(room), 5s);

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/read_result.hpp"

#include "amoc/xmpp/data_form.hpp"
#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

namespace stanzas {

/// Enters a room as `nick`: presence to room@service/nick with
/// `<x xmlns='http://jabber.org/protocol/muc'>`. `max_history` caps the
/// discussion history sent on entry (0: none); nullopt leaves it to the
/// room. `password` is for password-protected rooms (§7.2.6).
[[nodiscard]] stanza muc_join(std::string_view room_jid, std::string_view nick,
                              std::optional<std::uint32_t> max_history = 0,
                              std::string_view password = {});
/// Leaves a room: unavailable presence to room@service/nick, with a status text when given.
[[nodiscard]] stanza muc_leave(std::string_view room_jid, std::string_view nick,
                               std::string_view status = {});
/// A message to a multi-user chat room (XEP-0045 §7.4).
[[nodiscard]] stanza groupchat(std::string_view room, std::string_view body,
                               std::string_view id = {});
/// Changes the room's subject (§8.1): a groupchat message with `<subject/>` and no body.
[[nodiscard]] stanza muc_subject(std::string_view room, std::string_view subject);

/// Asks the room for its configuration form (owner, §10.1.3).
[[nodiscard]] stanza muc_config_get(std::string_view room);
/// Accepts the default configuration of a room just created (§10.1.2): an empty submitted form.
[[nodiscard]] stanza muc_instant_room(std::string_view room);

/// The usual settings of a room's configuration form (§10.2, FORM_TYPE
/// muc#roomconfig); unset fields are left out, so the room keeps its default.
struct muc_room_config {
  std::optional<bool> persistent = {};          ///< muc#roomconfig_persistentroom
  std::optional<bool> members_only = {};        ///< muc#roomconfig_membersonly
  std::optional<bool> public_room = {};         ///< muc#roomconfig_publicroom (listed in disco)
  std::optional<bool> moderated = {};           ///< muc#roomconfig_moderatedroom
  std::optional<std::uint32_t> max_users = {};  ///< muc#roomconfig_maxusers
  std::string name = {};                        ///< muc#roomconfig_roomname, "" to keep
  std::string password =
    {};  ///< muc#roomconfig_roomsecret, "" for none; sets passwordprotectedroom
  std::vector<form_field> extra = {};  ///< any other field, written as given
};

/// Submits a filled configuration form (§10.1.3) for `room`.
[[nodiscard]] stanza muc_config_submit(std::string_view room, const muc_room_config& config);
/// Submits the configuration fields as given (FORM_TYPE is added).
[[nodiscard]] stanza muc_config_submit(std::string_view room,
                                       const std::vector<form_field>& fields);
/// Destroys a room (§10.9), with a reason and an alternate venue when given.
[[nodiscard]] stanza muc_destroy(std::string_view room, std::string_view reason = {},
                                 std::string_view alternate_room = {});

}  // namespace stanzas

/// What a room's presence says about an occupant (XEP-0045 §7.2.3, `<x xmlns='...muc#user'>`).
struct muc_occupant {
  std::string room;               ///< room@service
  std::string nick;               ///< the occupant's nickname (the `from` resource)
  bool available = true;          ///< false for an unavailable presence (the occupant left)
  std::string affiliation;        ///< owner, admin, member, outcast, none
  std::string role;               ///< moderator, participant, visitor, none
  std::string jid;                ///< the occupant's real JID, when the room shows it
  std::vector<int> status_codes;  ///< 110 (self), 201 (created), 100, 170, ...

  /// Whether `code` is among the status codes.
  [[nodiscard]] bool has_status(int code) const;
};

/// Reads a room's presence about one occupant; an error names what is missing
/// (a `from` with a nick, the muc#user `<x/>`, an `<item/>`) or a status code
/// that is not a number.
[[nodiscard]] read_result<muc_occupant> read_muc_presence(const stanza& s);

namespace is {

/// A presence from room `room` (any type but error) carrying muc#user data,
/// from occupant `nick` when given, with every status code in `codes` (110
/// self-presence, 201 room created, ...).
[[nodiscard]] predicate muc_presence(std::string_view room, std::string_view nick = {},
                                     std::vector<int> codes = {});
/// A groupchat message with a body from `room`, sent by occupant `nick` (the `from` resource).
[[nodiscard]] predicate groupchat_from(std::string_view room, std::string_view nick);
/// A subject message from `room` (§7.2.15): groupchat, `<subject/>`, no body.
[[nodiscard]] predicate muc_subject(std::string_view room);
/// A presence or message error from `room` (or one of its occupants), with
/// `condition` when given: conflict (nick taken), registration-required
/// (members only), not-authorized (password), service-unavailable (room full), ...
[[nodiscard]] predicate muc_error(std::string_view room, std::string_view condition = {});

}  // namespace is

}  // namespace amoc::xmpp
