#include "amoc/xmpp/roster.hpp"

#include "amoc/xmpp/namespaces.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "builder_kit.hpp"

namespace amoc::xmpp {

namespace stanzas {

using namespace detail;

stanza roster_get() { return iq_with_empty_child("get", "query", ns::roster, {}); }

stanza roster_add(std::string_view jid, std::string_view name,
                  const std::vector<std::string>& groups) {
  require(!jid.empty(), "roster_add: empty JID");
  xml_writer w{estimate(96 + 16 * groups.size(), {jid, name})};
  open_iq(w, "set", {}, {}).end_open().open("query").attr("xmlns", ns::roster).end_open();
  w.open("item").attr("jid", jid).attr_if("name", name);
  if (groups.empty()) {
    w.end_empty();
  } else {
    w.end_open();
    for (const auto& g : groups)
      w.text_element("group", g);
    w.close("item");
  }
  return w.close("query").close("iq").to_stanza();
}

stanza roster_remove(std::string_view jid) {
  require(!jid.empty(), "roster_remove: empty JID");
  xml_writer w{estimate(112, {jid})};
  open_iq(w, "set", {}, {}).end_open().open("query").attr("xmlns", ns::roster).end_open();
  w.open("item").attr("jid", jid).attr("subscription", "remove").end_empty();
  return w.close("query").close("iq").to_stanza();
}

stanza subscribe(std::string_view to) { return presence_to(to, "subscribe"); }

stanza subscribed(std::string_view to) { return presence_to(to, "subscribed"); }

stanza unsubscribe(std::string_view to) { return presence_to(to, "unsubscribe"); }

stanza unsubscribed(std::string_view to) { return presence_to(to, "unsubscribed"); }

}  // namespace stanzas

read_result<roster> read_roster(const stanza& s) {
  if (s.name() == "iq" && s.type() == "error")
    return detail::error_reply("roster", s);
  const auto query = s.child("query", ns::roster);
  if (s.name() != "iq" || !query)
    return detail::malformed("roster: no iq with <query xmlns='jabber:iq:roster'/>", s);
  roster out;
  out.ver = query.attribute("ver").value();
  for (auto i : query.children("item")) {
    roster_item item{i.attribute("jid").value(),
                     i.attribute("name").value(),
                     i.attribute("subscription").as_string("none"),
                     i.attribute("ask").value(),
                     {}};
    if (item.jid.empty())
      return detail::malformed("roster: an item without a jid (RFC 6121 §2.1.2.2)", s);
    const auto& sub = item.subscription;
    if (sub != "none" && sub != "to" && sub != "from" && sub != "both" && sub != "remove")
      return detail::malformed("roster: subscription '" + sub + "' (RFC 6121 §2.1.2.5)", s);
    for (auto g : i.children("group"))
      item.groups.emplace_back(g.text().get());
    out.items.push_back(std::move(item));
  }
  return out;
}

namespace is {

predicate roster_push_for(std::string_view contact) {
  return [contact = jid::parse(contact), push = roster_push()](const stanza& s) {
    // RFC 6121 §2.1.6: a push comes from the user's bare JID or has no
    // `from`; one from a full JID is another client's iq, to be ignored.
    if (!push(s) || !jid::split(s.from()).resource.empty())
      return false;
    for (auto item : s.child("query", ns::roster).children("item"))
      if (contact.same_bare(std::string_view{item.attribute("jid").value()}))
        return true;
    return false;
  };
}

predicate subscription(std::string_view type, std::string_view from) {
  if (type != "subscribe" && type != "subscribed" && type != "unsubscribe"
      && type != "unsubscribed")
    throw std::invalid_argument("subscription presence type '" + std::string{type}
                                + "' is not one of: subscribe subscribed unsubscribe "
                                  "unsubscribed (RFC 6121 §3)");
  return presence_from(from, type);
}

}  // namespace is

}  // namespace amoc::xmpp
