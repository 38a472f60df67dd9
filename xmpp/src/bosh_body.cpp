#include "bosh_body.hpp"

#include <charconv>

#include <pugixml.hpp>

#include "amoc/xmpp/stream_framer.hpp"
#include "xml_writer.hpp"

namespace amoc::xmpp::detail::bosh {

namespace {

// The attributes every request carries.
xml_writer& open_body(xml_writer& w, std::string_view sid, std::uint64_t rid) {
  return w.open("body").attr("rid", rid).attr("sid", sid).attr("xmlns", ns_httpbind);
}

std::size_t estimate(std::string_view payload) { return 160 + payload.size(); }

class string_sink final : public pugi::xml_writer {
public:
  explicit string_sink(std::string& out) : out_(out) {}
  void write(const void* data, std::size_t size) override {
    out_.append(static_cast<const char*>(data), size);
  }

private:
  std::string& out_;
};

bool read_number(const pugi::xml_node& body, const char* name, std::optional<unsigned>& out,
                 std::string& why) {
  const auto attr = body.attribute(name);
  if (!attr)
    return true;
  const std::string_view text = attr.value();
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    why =
      std::string{"the <body/> attribute "} + name + "='" + std::string{text} + "' is not a number";
    return false;
  }
  out = value;
  return true;
}

// The one element of the document, or why there is not exactly one.
pugi::xml_node only_element(const pugi::xml_document& doc, std::string& why) {
  pugi::xml_node found;
  for (auto node : doc.children()) {
    if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
      why = "text outside the <body/> element";
      return {};
    }
    if (node.type() != pugi::node_element)
      continue;
    if (found) {
      why = "more than one element where one <body/> was expected";
      return {};
    }
    found = node;
  }
  if (!found)
    why = "no element where a <body/> was expected";
  return found;
}

bool read_children(const pugi::xml_node& body, std::size_t max_element_bytes, response& r,
                   std::string& why) {
  for (auto child : body.children()) {
    if (child.type() != pugi::node_element)
      continue;  // white space between the elements
    std::string xml;
    string_sink sink{xml};
    child.print(sink, "", pugi::format_raw | pugi::format_attribute_single_quote);
    // The same checks a stream's elements pass (RFC 6120 §11.1, the size bound).
    if (auto bad = stream_framer::check_element(xml, max_element_bytes); !bad.empty()) {
      why = "an element of the <body/>: " + bad;
      return false;
    }
    r.children.push_back(std::move(xml));
  }
  return true;
}

}  // namespace

std::string session_request(const session_params& p) {
  xml_writer w{estimate(p.domain)};
  w.open("body").attr("content", "text/xml; charset=utf-8").attr("hold", p.hold);
  w.attr("rid", p.rid).attr("to", p.domain).attr("ver", "1.11").attr("wait", p.wait);
  w.attr("xml:lang", "en").attr("xmpp:version", "1.0").attr("xmlns", ns_httpbind);
  return w.attr("xmlns:xmpp", ns_xbosh).end_empty().take();
}

std::string restart_request(std::string_view sid, std::uint64_t rid, std::string_view domain) {
  xml_writer w{estimate(domain)};
  open_body(w, sid, rid).attr("to", domain).attr("xml:lang", "en");
  return w.attr("xmpp:restart", "true").attr("xmlns:xmpp", ns_xbosh).end_empty().take();
}

std::string payload_request(std::string_view sid, std::uint64_t rid, std::string_view payload) {
  xml_writer w{estimate(payload)};
  open_body(w, sid, rid);
  if (payload.empty())
    return w.end_empty().take();
  return w.end_open().raw(payload).close("body").take();
}

std::string pause_request(std::string_view sid, std::uint64_t rid, unsigned seconds) {
  xml_writer w{estimate({})};
  return open_body(w, sid, rid).attr("pause", seconds).end_empty().take();
}

std::string terminate_request(std::string_view sid, std::uint64_t rid, std::string_view payload) {
  xml_writer w{estimate(payload)};
  open_body(w, sid, rid).attr("type", "terminate");
  if (payload.empty())
    return w.end_empty().take();
  return w.end_open().raw(payload).close("body").take();
}

std::optional<response> parse_response(std::string_view text, std::size_t max_element_bytes,
                                       std::string& why) {
  if (text.empty()) {
    why = "an empty HTTP body where a BOSH <body/> was expected";
    return std::nullopt;
  }
  pugi::xml_document doc;
  // White space is kept: it may be all a chat message's body says.
  const auto parsed =
    doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata);
  if (!parsed) {
    why = std::string{"not XML: "} + parsed.description() + " at offset "
          + std::to_string(parsed.offset);
    return std::nullopt;
  }
  const auto body = only_element(doc, why);
  if (!body)
    return std::nullopt;
  if (std::string_view{body.name()} != "body"
      || std::string_view{body.attribute("xmlns").value()} != ns_httpbind) {
    why = std::string{"<"} + body.name() + " xmlns='" + body.attribute("xmlns").value()
          + "'> where a BOSH <body xmlns='" + std::string{ns_httpbind} + "'> was expected";
    return std::nullopt;
  }
  response r;
  r.type = body.attribute("type").value();
  r.condition = body.attribute("condition").value();
  r.sid = body.attribute("sid").value();
  if (!read_number(body, "requests", r.requests, why) || !read_number(body, "hold", r.hold, why)
      || !read_number(body, "wait", r.wait, why) || !read_number(body, "maxpause", r.maxpause, why))
    return std::nullopt;
  if (!read_children(body, max_element_bytes, r, why))
    return std::nullopt;
  return r;
}

}  // namespace amoc::xmpp::detail::bosh
