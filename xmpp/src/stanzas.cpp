// Stanza builders (escalus_stanza's counterparts): one short function per
// stanza kind. The protocol families (MUC, MAM, PubSub, roster, registration)
// have their own files; the helpers they share are in builder_kit.

#include "amoc/xmpp/stanzas.hpp"
#include "amoc/xmpp/namespaces.hpp"

#include <charconv>
#include <random>
#include <stdexcept>

#include "builder_kit.hpp"

namespace amoc::xmpp {

namespace detail {

namespace {

// Ids must be unique per stream (RFC 6120 §8.1.3) and, for receipts and MAM,
// better unique across users: a random 32-bit prefix per thread and a counter.
struct id_source {
  char prefix[9];
  std::uint64_t counter = 0;

  id_source() {
    static constexpr char hex[] = "0123456789abcdef";
    std::random_device rd;
    auto bits = rd();
    for (int i = 7; i >= 0; --i, bits >>= 4)
      prefix[i] = hex[bits & 15];
    prefix[8] = '-';
  }
};

}  // namespace

void append_next_id(std::string& out) {
  thread_local id_source ids;
  out.append(ids.prefix, sizeof ids.prefix);
  char digits[16];
  auto end = std::to_chars(digits, digits + sizeof digits, ++ids.counter, 36).ptr;
  out.append(digits, end);
}

}  // namespace detail

namespace stanzas {

namespace {

using detail::xml_writer;
using namespace detail;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void write_timestamp(xml_writer& w, time_point sent) {
  w.open("sent").attr("xmlns", ttd_xmlns).attr("us", micros_since_epoch(sent)).end_empty();
}

// The sender of a received stanza that is answered: its `from` and `id`.
struct reply_to {
  std::string_view to;
  std::string_view id;
};

reply_to answering(const stanza& request, std::string_view what) {
  if (request.id().empty())
    throw std::invalid_argument(
      std::string{what} + ": the stanza answered has no id: " + request.xml().substr(0, 200));
  return {request.from(), request.id()};
}

}  // namespace

std::string next_id() {
  std::string id;
  detail::append_next_id(id);
  return id;
}

// ---- messages ---------------------------------------------------------------

stanza message(std::string_view to, std::string_view type, std::string_view body,
               std::string_view id) {
  require_one_of("message type", type, {"", "chat", "groupchat", "headline", "normal", "error"});
  xml_writer w{estimate(72, {to, type, body, id})};
  w.open("message").attr_if("to", to).attr_if("type", type).id(id);
  if (body.empty())
    return w.end_empty().to_stanza();
  return w.end_open().text_element("body", body).close("message").to_stanza();
}

stanza chat(std::string_view to, std::string_view body, std::string_view id) {
  return message(to, "chat", body, id);
}

stanza chat_with_timestamp(std::string_view to, std::string_view body, time_point sent,
                           std::string_view id) {
  xml_writer w{estimate(128, {to, body, id})};
  w.open("message").attr_if("to", to).attr("type", "chat").id(id).end_open();
  w.text_element("body", body);
  write_timestamp(w, sent);
  return w.close("message").to_stanza();
}

stanza with_timestamp(stanza message, time_point sent) {
  xml_writer w{64};
  write_timestamp(w, sent);
  add_child(message, w.take());
  return message;
}

std::optional<time_point> sent_timestamp(const stanza& message) {
  // From the text while the message is not parsed: every received chat is timed.
  return read_sent_micros(message.child_attribute("sent", ttd_xmlns, "us"));
}

void add_child(stanza& s, std::string_view child_xml) {
  std::string text = s.xml();
  while (!text.empty() && is_space(text.back()))
    text.pop_back();
  if (text.size() < 3 || text.front() != '<' || text.back() != '>')
    throw std::invalid_argument("add_child: the stanza is not an element: " + text.substr(0, 200));
  if (text.ends_with("/>")) {
    // `<name .../>` becomes `<name ...>child</name>`.
    const auto name_end = text.find_first_of(" \t\r\n/>", 1);
    const auto name = text.substr(1, name_end - 1);
    text.replace(text.size() - 2, 2, ">");
    ((text += child_xml) += "</") += name;
    text += '>';
  } else {
    // The last end tag is the element's own: the child goes before it.
    text.insert(text.rfind("</"), child_xml);
  }
  s = stanza{std::move(text), s.received_at()};
}

// ---- presence ---------------------------------------------------------------

stanza presence_to(std::string_view to, std::string_view type, const presence_details& d) {
  if (type == "available")
    type = {};
  require_one_of("presence type", type,
                 {"", "unavailable", "subscribe", "subscribed", "unsubscribe", "unsubscribed",
                  "probe", "error"});
  require_one_of("presence show", d.show, {"", "away", "chat", "dnd", "xa"});
  require(!d.priority || (*d.priority >= -128 && *d.priority <= 127),
          "presence priority must be in -128..127 (RFC 6121 §4.7.2.3)");
  xml_writer w{estimate(64, {to, type, d.show, d.status})};
  w.open("presence").attr_if("to", to).attr_if("type", type);
  // RFC 6121 §3.1.1: subscription requests and their answers should carry an id.
  if (type.starts_with("subscribe") || type.starts_with("unsubscribe"))
    w.id({});
  if (d.show.empty() && d.status.empty() && !d.priority)
    return w.end_empty().to_stanza();
  w.end_open();
  if (!d.show.empty())
    w.text_element("show", d.show);
  if (!d.status.empty())
    w.text_element("status", d.status);
  if (d.priority)
    w.text_element("priority", std::to_string(*d.priority));
  return w.close("presence").to_stanza();
}

stanza presence(std::string_view type, const presence_details& details) {
  return presence_to({}, type, details);
}

// ---- iq -----------------------------------------------------------------------

stanza iq(std::string_view type, std::string_view payload_xml, std::string_view to,
          std::string_view id) {
  require_one_of("iq type", type, {"get", "set", "result", "error"});
  // RFC 6120 §8.2.3: a get or set carries exactly one payload element.
  require(!payload_xml.empty() || (type != "get" && type != "set"),
          "an iq of type get or set needs a payload element (RFC 6120 §8.2.3)");
  xml_writer w{estimate(48, {type, payload_xml, to, id})};
  open_iq(w, type, to, id);
  if (payload_xml.empty())
    return w.end_empty().to_stanza();
  return w.end_open().raw(payload_xml).close("iq").to_stanza();
}

stanza iq_get(std::string_view xmlns, std::string_view to, std::string_view id) {
  return iq_with_empty_child("get", "query", xmlns, to, id);
}

stanza iq_set(std::string_view xmlns, std::string_view inner_xml, std::string_view to,
              std::string_view id) {
  xml_writer w{estimate(72, {xmlns, inner_xml, to, id})};
  open_iq(w, "set", to, id).end_open();
  w.open("query").attr("xmlns", xmlns);
  if (inner_xml.empty())
    w.end_empty();
  else
    w.end_open().raw(inner_xml).close("query");
  return w.close("iq").to_stanza();
}

stanza iq_result(const stanza& request, std::string_view payload_xml) {
  const auto r = answering(request, "iq_result");
  return iq("result", payload_xml, r.to, r.id);
}

stanza iq_error(const stanza& request, std::string_view condition, std::string_view type) {
  require_one_of("stanza error type", type, {"auth", "cancel", "continue", "modify", "wait"});
  require_one_of("stanza error condition", condition, stanza_error_conditions);
  const auto r = answering(request, "iq_error");
  xml_writer w{estimate(160, {r.to, r.id, condition})};
  open_iq(w, "error", r.to, r.id).end_open();
  w.open("error").attr("type", type).end_open().empty_element(condition, ns::stanza_errors);
  return w.close("error").close("iq").to_stanza();
}

// ---- ping, disco ----------------------------------------------------------------

stanza ping(std::string_view to) { return iq_with_empty_child("get", "ping", ns::ping, to); }

stanza pong(const stanza& ping) { return iq_result(ping); }

namespace {

stanza disco(std::string_view xmlns, std::string_view to, std::string_view node) {
  xml_writer w{estimate(96, {to, node})};
  open_iq(w, "get", to, {}).end_open();
  w.open("query").attr("xmlns", xmlns).attr_if("node", node).end_empty();
  return w.close("iq").to_stanza();
}

}  // namespace

stanza disco_info(std::string_view to, std::string_view node) {
  return disco(ns::disco_info, to, node);
}

stanza disco_items(std::string_view to, std::string_view node) {
  return disco(ns::disco_items, to, node);
}

// ---- receipts ---------------------------------------------------------------------

void request_receipt(stanza& message) {
  add_child(message, "<request xmlns='urn:xmpp:receipts'/>");
}

stanza receipt_for(const stanza& message) {
  const auto r = answering(message, "receipt_for");
  xml_writer w{estimate(96, {r.to, r.id})};
  w.open("message").attr_if("to", r.to).id({}).end_open();
  w.open("received").attr("xmlns", ns::receipts).attr("id", r.id).end_empty();
  return w.close("message").to_stanza();
}

// ---- stream and negotiation ---------------------------------------------------------

std::string stream_header(std::string_view domain, std::string_view lang, std::string_view from) {
  require(!domain.empty(), "stream_header: empty domain");
  xml_writer w{estimate(160, {domain, lang, from})};
  w.raw("<?xml version='1.0'?>").open("stream:stream").attr("to", domain).attr_if("from", from);
  w.attr("version", "1.0").attr_if("xml:lang", lang).attr("xmlns", ns::client);
  w.attr("xmlns:stream", ns::streams).end_open();
  return w.take();
}

std::string stream_close() { return "</stream:stream>"; }

stanza ws_open(std::string_view domain, std::string_view lang) {
  require(!domain.empty(), "ws_open: empty domain");
  xml_writer w{estimate(112, {domain, lang})};
  w.open("open").attr("xmlns", ns::framing).attr("to", domain);
  return w.attr("version", "1.0").attr_if("xml:lang", lang).end_empty().to_stanza();
}

stanza ws_close() { return stanza{"<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"}; }

stanza starttls() { return stanza{"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"}; }

stanza sasl_auth(std::string_view mechanism,
                 std::optional<std::string_view> initial_response_base64) {
  require(!mechanism.empty(), "sasl_auth: empty mechanism name");
  xml_writer w{estimate(80, {mechanism, initial_response_base64.value_or("")})};
  w.open("auth").attr("xmlns", ns::sasl).attr("mechanism", mechanism);
  if (!initial_response_base64)
    return w.end_empty().to_stanza();
  // RFC 6120 §6.4.2: an empty initial response is sent as "=", unlike no response.
  const auto data = initial_response_base64->empty() ? "=" : *initial_response_base64;
  return w.end_open().text(data).close("auth").to_stanza();
}

stanza sasl_response(std::string_view response_base64) {
  xml_writer w{estimate(64, {response_base64})};
  w.open("response").attr("xmlns", ns::sasl);
  if (response_base64.empty())
    return w.end_empty().to_stanza();
  return w.end_open().text(response_base64).close("response").to_stanza();
}

stanza sasl_abort() { return stanza{"<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"}; }

stanza bind(std::string_view resource) {
  if (resource.empty())
    return iq_with_empty_child("set", "bind", ns::bind, {});
  xml_writer w{estimate(112, {resource})};
  open_iq(w, "set", {}, {}).end_open().open("bind").attr("xmlns", ns::bind).end_open();
  w.text_element("resource", resource).close("bind");
  return w.close("iq").to_stanza();
}

stanza session() { return iq_with_empty_child("set", "session", ns::session, {}); }

stanza sm_enable(bool resume) {
  xml_writer w{48};
  w.open("enable").attr("xmlns", ns::sm);
  if (resume)
    w.attr("resume", "true");
  return w.end_empty().to_stanza();
}

stanza sm_request() { return stanza{"<r xmlns='urn:xmpp:sm:3'/>"}; }

stanza sm_ack(std::uint32_t h) {
  xml_writer w{48};
  return w.open("a").attr("xmlns", ns::sm).attr("h", h).end_empty().to_stanza();
}

stanza sm_resume(std::string_view previd, std::uint32_t h) {
  require(!previd.empty(), "sm_resume: empty previd");
  xml_writer w{estimate(64, {previd})};
  w.open("resume").attr("xmlns", ns::sm).attr("h", h).attr("previd", previd);
  return w.end_empty().to_stanza();
}

}  // namespace stanzas

}  // namespace amoc::xmpp
