#include "amoc/xmpp/muc.hpp"

#include <algorithm>
#include <charconv>

#include "amoc/xmpp/namespaces.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "builder_kit.hpp"

namespace amoc::xmpp {

namespace stanzas {

using namespace detail;

namespace {

void require_bare_room(std::string_view room_jid) {
  require(!room_jid.empty() && room_jid.find('/') == std::string_view::npos,
          "a MUC room JID must be bare (room@service), got '" + std::string{room_jid} + "'");
}

std::string occupant_jid(std::string_view room_jid, std::string_view nick) {
  require_bare_room(room_jid);
  require(!nick.empty(), "empty MUC nickname");
  return std::string{room_jid} + '/' + std::string{nick};
}

// `<iq type to><query xmlns='...muc#owner'>inner</query></iq>`.
stanza owner_iq(std::string_view type, std::string_view room, std::string_view inner_xml) {
  require_bare_room(room);
  xml_writer w{estimate(128, {room, inner_xml})};
  open_iq(w, type, room, {}).end_open().open("query").attr("xmlns", ns::muc_owner);
  if (inner_xml.empty())
    w.end_empty();
  else
    w.end_open().raw(inner_xml).close("query");
  return w.close("iq").to_stanza();
}

void add_bool(std::vector<form_field>& out, std::string_view var, std::optional<bool> value) {
  if (value)
    out.push_back({std::string{var}, {*value ? "1" : "0"}});
}

}  // namespace

stanza muc_join(std::string_view room_jid, std::string_view nick,
                std::optional<std::uint32_t> max_history, std::string_view password) {
  const auto to = occupant_jid(room_jid, nick);
  xml_writer w{estimate(128, {to, password})};
  w.open("presence").attr("to", to).end_open();
  w.open("x").attr("xmlns", ns::muc);
  if (!max_history && password.empty()) {
    w.end_empty();
  } else {
    w.end_open();
    // XEP-0045 §7.2.13: maxstanzas='0' asks for no history at all.
    if (max_history)
      w.open("history").attr("maxstanzas", *max_history).end_empty();
    if (!password.empty())
      w.text_element("password", password);
    w.close("x");
  }
  return w.close("presence").to_stanza();
}

stanza muc_leave(std::string_view room_jid, std::string_view nick, std::string_view status) {
  return presence_to(occupant_jid(room_jid, nick), "unavailable", {.status = status});
}

stanza groupchat(std::string_view room, std::string_view body, std::string_view id) {
  return message(room, "groupchat", body, id);
}

stanza muc_subject(std::string_view room, std::string_view subject) {
  require_bare_room(room);
  xml_writer w{estimate(96, {room, subject})};
  w.open("message").attr("to", room).attr("type", "groupchat").id({}).end_open();
  return w.text_element("subject", subject).close("message").to_stanza();
}

stanza muc_config_get(std::string_view room) { return owner_iq("get", room, {}); }

stanza muc_instant_room(std::string_view room) {
  // §10.1.2: an empty submitted form accepts the defaults.
  return owner_iq("set", room, "<x xmlns='jabber:x:data' type='submit'/>");
}

stanza muc_config_submit(std::string_view room, const muc_room_config& c) {
  std::vector<form_field> fields;
  add_bool(fields, "muc#roomconfig_persistentroom", c.persistent);
  add_bool(fields, "muc#roomconfig_membersonly", c.members_only);
  add_bool(fields, "muc#roomconfig_publicroom", c.public_room);
  add_bool(fields, "muc#roomconfig_moderatedroom", c.moderated);
  if (c.max_users)
    fields.push_back({"muc#roomconfig_maxusers", {std::to_string(*c.max_users)}});
  if (!c.name.empty())
    fields.push_back({"muc#roomconfig_roomname", {c.name}});
  if (!c.password.empty()) {
    add_bool(fields, "muc#roomconfig_passwordprotectedroom", true);
    fields.push_back({"muc#roomconfig_roomsecret", {c.password}});
  }
  fields.insert(fields.end(), c.extra.begin(), c.extra.end());
  return muc_config_submit(room, fields);
}

stanza muc_config_submit(std::string_view room, const std::vector<form_field>& fields) {
  return owner_iq("set", room, submit_form_xml(ns::muc_roomconfig, fields));
}

stanza muc_destroy(std::string_view room, std::string_view reason,
                   std::string_view alternate_room) {
  xml_writer w{estimate(64, {reason, alternate_room})};
  w.open("destroy").attr_if("jid", alternate_room);
  if (reason.empty())
    w.end_empty();
  else
    w.end_open().text_element("reason", reason).close("destroy");
  return owner_iq("set", room, w.take());
}

}  // namespace stanzas

bool muc_occupant::has_status(int code) const {
  return std::find(status_codes.begin(), status_codes.end(), code) != status_codes.end();
}

namespace {

// The status codes of a muc#user element; nullopt if one is not a number.
std::optional<std::vector<int>> status_codes_of(pugi::xml_node x) {
  std::vector<int> codes;
  for (auto status : x.children("status")) {
    const std::string_view text = status.attribute("code").value();
    int code = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
      return std::nullopt;
    codes.push_back(code);
  }
  return codes;
}

}  // namespace

read_result<muc_occupant> read_muc_presence(const stanza& s) {
  if (s.name() != "presence")
    return detail::malformed("MUC presence: not a <presence/>", s);
  const auto from = jid::split(s.from());
  if (from.domain.empty() || from.resource.empty())
    return detail::malformed("MUC presence: 'from' is not room@service/nick", s);
  const auto x = s.child("x", ns::muc_user);
  const auto item = x.child("item");
  if (!x || !item)
    return detail::malformed(
      "MUC presence: no <x xmlns='...muc#user'><item/></x> (XEP-0045 §7.2.3)", s);
  auto codes = status_codes_of(x);
  if (!codes)
    return detail::malformed("MUC presence: a status code is not a number", s);
  muc_occupant out;
  const std::string_view full = s.from();
  out.room = full.substr(0, full.size() - from.resource.size() - 1);
  out.nick = from.resource;
  out.available = s.type() != "unavailable";
  out.affiliation = item.attribute("affiliation").value();
  out.role = item.attribute("role").value();
  out.jid = item.attribute("jid").value();
  out.status_codes = std::move(*codes);
  return out;
}

namespace is {

namespace {

// `from` is room@service/nick of `room` (nick given) or of any occupant or the room itself.
bool from_room(const jid& room, std::string_view nick, std::string_view from) {
  if (!room.same_bare(from))
    return false;
  return nick.empty() || jid::split(from).resource == nick;
}

}  // namespace

predicate muc_presence(std::string_view room, std::string_view nick, std::vector<int> codes) {
  return
    [room = jid::parse(room), nick = std::string{nick}, codes = std::move(codes)](const stanza& s) {
      if (s.name() != "presence" || s.type() == "error" || !from_room(room, nick, s.from()))
        return false;
      const auto x = s.child("x", ns::muc_user);
      if (!x)
        return false;
      const auto have = status_codes_of(x);
      return have && std::all_of(codes.begin(), codes.end(), [&](int c) {
               return std::find(have->begin(), have->end(), c) != have->end();
             });
    };
}

predicate groupchat_from(std::string_view room, std::string_view nick) {
  if (nick.empty())
    throw std::invalid_argument("groupchat_from: empty MUC nickname");
  return [room = jid::parse(room), nick = std::string{nick}](const stanza& s) {
    return s.name() == "message" && s.type() == "groupchat" && s.root().child("body")
           && from_room(room, nick, s.from());
  };
}

predicate muc_subject(std::string_view room) {
  return [room = jid::parse(room)](const stanza& s) {
    return s.name() == "message" && s.type() == "groupchat" && s.root().child("subject")
           && !s.root().child("body") && room.same_bare(s.from());
  };
}

predicate muc_error(std::string_view room, std::string_view condition) {
  return [room = jid::parse(room), condition = std::string{condition}](const stanza& s) {
    if ((s.name() != "presence" && s.name() != "message") || s.type() != "error"
        || !room.same_bare(s.from()))
      return false;
    return condition.empty() || stanza_error_condition(s).condition == condition;
  };
}

}  // namespace is

}  // namespace amoc::xmpp
