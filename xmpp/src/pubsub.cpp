#include "amoc/xmpp/pubsub.hpp"

#include "amoc/xmpp/namespaces.hpp"
#include "builder_kit.hpp"

namespace amoc::xmpp {

namespace stanzas {

using namespace detail;

namespace {

// `<iq type [to]><pubsub xmlns>inner</pubsub></iq>`.
stanza pubsub_iq(std::string_view type, std::string_view service, std::string_view xmlns,
                 std::string_view inner_xml) {
  xml_writer w{estimate(96, {service, inner_xml})};
  open_iq(w, type, service, {}).end_open().open("pubsub").attr("xmlns", xmlns).end_open();
  return w.raw(inner_xml).close("pubsub").close("iq").to_stanza();
}

void require_node(std::string_view node, std::string_view what) {
  require(!node.empty(), std::string{what} + ": empty node name");
}

}  // namespace

stanza pubsub_create(std::string_view service, std::string_view node,
                     const std::vector<form_field>& config) {
  require_node(node, "pubsub_create");
  xml_writer w{estimate(64, {node})};
  w.open("create").attr("node", node).end_empty();
  if (!config.empty())
    w.open("configure")
      .end_open()
      .raw(submit_form_xml(ns::pubsub_node_config, config))
      .close("configure");
  return pubsub_iq("set", service, ns::pubsub, w.take());
}

stanza pubsub_delete(std::string_view service, std::string_view node) {
  require_node(node, "pubsub_delete");
  xml_writer w{estimate(32, {node})};
  w.open("delete").attr("node", node).end_empty();
  return pubsub_iq("set", service, ns::pubsub_owner, w.take());
}

stanza pubsub_subscribe(std::string_view service, std::string_view node,
                        std::string_view subscriber) {
  require_node(node, "pubsub_subscribe");
  require(!subscriber.empty(), "pubsub_subscribe: empty subscriber JID");
  xml_writer w{estimate(48, {node, subscriber})};
  w.open("subscribe").attr("node", node).attr("jid", subscriber).end_empty();
  return pubsub_iq("set", service, ns::pubsub, w.take());
}

stanza pubsub_unsubscribe(std::string_view service, std::string_view node,
                          std::string_view subscriber, std::string_view subid) {
  require_node(node, "pubsub_unsubscribe");
  require(!subscriber.empty(), "pubsub_unsubscribe: empty subscriber JID");
  xml_writer w{estimate(64, {node, subscriber, subid})};
  w.open("unsubscribe").attr("node", node).attr("jid", subscriber).attr_if("subid", subid);
  return pubsub_iq("set", service, ns::pubsub, w.end_empty().take());
}

stanza pubsub_publish(std::string_view service, std::string_view node, std::string_view item_id,
                      std::string_view payload_xml) {
  require_node(node, "pubsub_publish");
  xml_writer w{estimate(64, {node, item_id, payload_xml})};
  w.open("publish").attr("node", node).end_open().open("item").attr_if("id", item_id);
  if (payload_xml.empty())
    w.end_empty();
  else
    w.end_open().raw(payload_xml).close("item");
  return pubsub_iq("set", service, ns::pubsub, w.close("publish").take());
}

stanza pep_publish(std::string_view node, std::string_view item_id, std::string_view payload_xml) {
  return pubsub_publish({}, node, item_id, payload_xml);
}

stanza pubsub_items(std::string_view service, std::string_view node, std::uint32_t max_items) {
  require_node(node, "pubsub_items");
  xml_writer w{estimate(48, {node})};
  w.open("items").attr("node", node);
  if (max_items != 0)
    w.attr("max_items", max_items);
  return pubsub_iq("get", service, ns::pubsub, w.end_empty().take());
}

stanza pubsub_subscriptions(std::string_view service, std::string_view node) {
  require_node(node, "pubsub_subscriptions");
  xml_writer w{estimate(48, {node})};
  w.open("subscriptions").attr("node", node).end_empty();
  return pubsub_iq("get", service, ns::pubsub_owner, w.take());
}

std::string timestamp_payload(std::chrono::system_clock::time_point sent) {
  xml_writer w{64};
  w.open("sent").attr("xmlns", ns::ttd).attr("us", micros_since_epoch(sent)).end_empty();
  return w.take();
}

}  // namespace stanzas

namespace {

// The send stamp the payload is, or carries as a child.
pugi::xml_node stamp_in(pugi::xml_node payload) {
  if (std::string_view{payload.name()} == "sent"
      && std::string_view{payload.attribute("xmlns").value()} == ns::ttd)
    return payload;
  return find_child(payload, "sent", ns::ttd);
}

pubsub_item item_of(pugi::xml_node item) {
  const auto payload = detail::first_element(item);
  if (!payload)
    return {item.attribute("id").value(), {}, std::nullopt};
  return {item.attribute("id").value(), detail::to_xml(payload),
          detail::read_sent_stamp(stamp_in(payload))};
}

// The iq result's `<pubsub xmlns='...pubsub'>`, or an error for an iq error or another stanza.
read_result<pugi::xml_node> pubsub_result(const stanza& s, std::string_view what) {
  if (s.name() == "iq" && s.type() == "error")
    return detail::error_reply(what, s);
  if (s.name() != "iq" || s.type() != "result")
    return detail::malformed(std::string{what} + ": not an iq result", s);
  return s.child("pubsub", ns::pubsub);
}

}  // namespace

read_result<pubsub_event> read_pubsub_event(const stanza& s) {
  const auto event = s.child("event", ns::pubsub_event);
  if (s.name() != "message" || !event)
    return detail::malformed("PubSub event: no <message><event xmlns='...pubsub#event'/>", s);
  const auto items = event.child("items");
  pubsub_event out{std::string{s.from()}, items.attribute("node").value(), {}, {}};
  if (!items || out.node.empty())
    return detail::malformed("PubSub event: no <items node='...'/> (XEP-0060 §7.1.2.1)", s);
  for (auto c : items.children()) {
    if (std::string_view{c.name()} == "item")
      out.items.push_back(item_of(c));
    else if (std::string_view{c.name()} == "retract")
      out.retracted.emplace_back(c.attribute("id").value());
  }
  return out;
}

read_result<std::string> read_published_item_id(const stanza& s) {
  auto pubsub = pubsub_result(s, "PubSub publish");
  if (!pubsub)
    return read_error{pubsub.error()};
  return std::string{pubsub->child("publish").child("item").attribute("id").value()};
}

read_result<std::vector<pubsub_item>> read_pubsub_items(const stanza& s) {
  auto pubsub = pubsub_result(s, "PubSub items");
  if (!pubsub)
    return read_error{pubsub.error()};
  const auto items = pubsub->child("items");
  if (!items)
    return detail::malformed("PubSub items: no <pubsub><items/> in the result (XEP-0060 §6.5.2)",
                             s);
  std::vector<pubsub_item> out;
  for (auto item : items.children("item"))
    out.push_back(item_of(item));
  return out;
}

read_result<std::vector<pubsub_subscription>> read_pubsub_subscriptions(const stanza& s) {
  if (s.name() == "iq" && s.type() == "error")
    return detail::error_reply("PubSub subscriptions", s);
  const auto subscriptions = s.child("pubsub", ns::pubsub_owner).child("subscriptions");
  if (s.name() != "iq" || s.type() != "result" || !subscriptions)
    return detail::malformed("PubSub subscriptions: no iq result with <pubsub xmlns='...pubsub#"
                             "owner'><subscriptions/> (XEP-0060 §8.8.1.2)",
                             s);
  std::vector<pubsub_subscription> out;
  for (auto sub : subscriptions.children("subscription"))
    out.push_back({sub.attribute("jid").value(), sub.attribute("subscription").value(),
                   sub.attribute("subid").value()});
  return out;
}

namespace is {

predicate pubsub_event(std::string_view from, std::string_view node) {
  auto from_jid = from.empty() ? jid{} : jid::parse(from);
  return [from = std::move(from_jid), node = std::string{node}](const stanza& s) {
    if (s.name() != "message" || (!from.empty() && !from.matches(s.from())))
      return false;
    const auto items = s.child("event", ns::pubsub_event).child("items");
    return items && items.child("item")
           && (node.empty() || items.attribute("node").value() == node);
  };
}

}  // namespace is

}  // namespace amoc::xmpp
