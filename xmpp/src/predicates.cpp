#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/namespaces.hpp"

#include <algorithm>

namespace amoc::xmpp {

namespace {

bool is_named(const stanza& s, std::string_view name) { return s.name() == name; }

bool is_nonza(const stanza& s, std::string_view name, std::string_view xmlns) {
  return s.name() == name && s.xmlns() == xmlns;
}

bool has_body(const stanza& s) { return s.has_child("body"); }

// "available" is how escalus and people name the presence without a type.
std::string presence_type(std::string_view type) {
  return type == "available" ? std::string{} : std::string{type};
}

// The error's condition: its first child element other than <text/>, in
// `xmlns` if any child is (RFC 6120 §4.9.2: application-specific conditions
// may follow the defined one, in another namespace).
error_condition condition_of(pugi::xml_node error, std::string_view xmlns) {
  error_condition out;
  pugi::xml_node first_other;
  for (auto c : error.children()) {
    if (c.type() != pugi::node_element)
      continue;
    std::string_view name = c.name();
    if (name == "text") {
      out.text = c.text().get();
      continue;
    }
    const bool in_ns = c.attribute("xmlns").value() == xmlns;
    if (out.condition.empty() && in_ns)
      out.condition = name;
    if (!first_other)
      first_other = c;
  }
  if (out.condition.empty())
    out.condition = first_other ? first_other.name() : "undefined-condition";
  return out;
}

}  // namespace

error_condition stream_error_condition(const stanza& s) {
  const bool is_stream_error = is_named(s, "stream:error") || is_nonza(s, "error", ns::streams);
  return is_stream_error ? condition_of(s.root(), ns::stream_errors) : error_condition{};
}

error_condition sasl_failure_condition(const stanza& s) {
  // SASL conditions inherit the namespace of <failure/> (RFC 6120 §6.5), so
  // any non-text child is the condition.
  return is_nonza(s, "failure", ns::sasl) ? condition_of(s.root(), {}) : error_condition{};
}

error_condition stanza_error_condition(const stanza& s) {
  if (s.type() != "error")
    return {};
  const auto error = s.root().child("error");
  if (!error)
    return {"undefined-condition", {}, {}};
  auto out = condition_of(error, ns::stanza_errors);
  out.type = error.attribute("type").value();
  return out;
}

namespace is {

predicate any() {
  return [](const stanza&) { return true; };
}

predicate all_of(std::vector<predicate> ps) {
  return [ps = std::move(ps)](const stanza& s) {
    return std::all_of(ps.begin(), ps.end(), [&](const predicate& p) { return p(s); });
  };
}

predicate any_of(std::vector<predicate> ps) {
  return [ps = std::move(ps)](const stanza& s) {
    return std::any_of(ps.begin(), ps.end(), [&](const predicate& p) { return p(s); });
  };
}

predicate negation(predicate p) {
  return [p = std::move(p)](const stanza& s) { return !p(s); };
}

predicate element(std::string_view name, std::string_view xmlns) {
  return [name = std::string{name}, xmlns = std::string{xmlns}](const stanza& s) {
    return s.name() == name && (xmlns.empty() || s.xmlns() == xmlns);
  };
}

predicate with_child(std::string_view name, std::string_view xmlns) {
  return [name = std::string{name}, xmlns = std::string{xmlns}](const stanza& s) {
    return static_cast<bool>(s.child(name, xmlns));
  };
}

predicate from(const jid& from) {
  return [from](const stanza& s) { return from.matches(s.from()); };
}

predicate from(std::string_view from) { return is::from(jid::parse(from)); }

// ---- messages ----

predicate message() {
  return [](const stanza& s) { return is_named(s, "message"); };
}

predicate chat() {
  return
    [](const stanza& s) { return is_named(s, "message") && s.type() == "chat" && has_body(s); };
}

predicate chat_from(const jid& from) {
  return [from](const stanza& s) {
    return is_named(s, "message") && s.type() == "chat" && from.matches(s.from()) && has_body(s);
  };
}

predicate chat_from(std::string_view from) { return chat_from(jid::parse(from)); }

predicate chat_with_body(std::string_view body) {
  return [body = std::string{body}](const stanza& s) {
    return is_named(s, "message") && s.type() == "chat" && has_body(s) && s.body() == body;
  };
}

predicate groupchat(std::string_view room) {
  auto is_groupchat = [](const stanza& s) {
    return is_named(s, "message") && s.type() == "groupchat" && has_body(s);
  };
  if (room.empty())
    return is_groupchat;
  return [is_groupchat, room = jid::parse(room)](const stanza& s) {
    return is_groupchat(s) && room.same_bare(s.from());
  };
}

predicate receipt_for(std::string_view id) {
  return [id = std::string{id}](const stanza& s) {
    return is_named(s, "message")
           && std::string_view{s.child("received", ns::receipts).attribute("id").value()} == id;
  };
}

predicate mam_result(std::string_view query_id) {
  return [query_id = std::string{query_id}](const stanza& s) {
    if (!is_named(s, "message"))
      return false;
    const auto result = s.child("result", ns::mam);
    return result && (query_id.empty() || result.attribute("queryid").value() == query_id);
  };
}

// ---- presence ----

predicate presence(std::string_view type) {
  return [type = presence_type(type)](const stanza& s) {
    return is_named(s, "presence") && s.type() == type;
  };
}

predicate presence_from(const jid& from, std::string_view type) {
  return [from, type = presence_type(type)](const stanza& s) {
    return is_named(s, "presence") && s.type() == type && from.matches(s.from());
  };
}

predicate presence_from(std::string_view from, std::string_view type) {
  return presence_from(jid::parse(from), type);
}

// ---- iq ----

namespace {

predicate iq_of_type(std::string_view type, std::string_view id) {
  return [type = std::string{type}, id = std::string{id}](const stanza& s) {
    return is_named(s, "iq") && s.type() == type && (id.empty() || s.id() == id);
  };
}

}  // namespace

predicate iq_result(std::string_view id) { return iq_of_type("result", id); }

predicate iq_error(std::string_view id) { return iq_of_type("error", id); }

predicate iq_with_id(std::string_view id) {
  return [id = std::string{id}](const stanza& s) { return is_named(s, "iq") && s.id() == id; };
}

predicate iq_reply_to(const stanza& request) {
  return [id = std::string{request.id()}](const stanza& s) {
    return is_named(s, "iq") && s.id() == id && (s.type() == "result" || s.type() == "error");
  };
}

predicate iq_request(std::string_view xmlns) {
  return [xmlns = std::string{xmlns}](const stanza& s) {
    if (!is_named(s, "iq") || (s.type() != "get" && s.type() != "set"))
      return false;
    const auto payload =
      s.root().find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
    return payload && payload.attribute("xmlns").value() == xmlns;
  };
}

predicate mam_fin(std::string_view id) {
  return [id = std::string{id}](const stanza& s) {
    return is_named(s, "iq") && s.type() == "result" && (id.empty() || s.id() == id)
           && s.child("fin", ns::mam);
  };
}

predicate ping() {
  return [](const stanza& s) {
    return is_named(s, "iq") && s.type() == "get" && s.child("ping", ns::ping);
  };
}

predicate roster_push() {
  return [](const stanza& s) {
    return is_named(s, "iq") && s.type() == "set" && s.child("query", ns::roster);
  };
}

predicate stanza_error(std::string_view condition) {
  return [condition = std::string{condition}](const stanza& s) {
    if (s.type() != "error"
        || !(is_named(s, "message") || is_named(s, "presence") || is_named(s, "iq")))
      return false;
    return condition.empty() || stanza_error_condition(s).condition == condition;
  };
}

// ---- stream, SASL, stream management ----

predicate stream_features() {
  return [](const stanza& s) {
    return is_named(s, "stream:features") || is_nonza(s, "features", ns::streams);
  };
}

predicate stream_error() {
  return [](const stanza& s) {
    return is_named(s, "stream:error") || is_nonza(s, "error", ns::streams);
  };
}

predicate sasl_challenge() {
  return [](const stanza& s) { return is_nonza(s, "challenge", ns::sasl); };
}

predicate sasl_success() {
  return [](const stanza& s) { return is_nonza(s, "success", ns::sasl); };
}

predicate sasl_failure() {
  return [](const stanza& s) { return is_nonza(s, "failure", ns::sasl); };
}

predicate sm_ack() {
  return [](const stanza& s) { return is_nonza(s, "a", ns::sm); };
}

predicate sm_request() {
  return [](const stanza& s) { return is_nonza(s, "r", ns::sm); };
}

predicate sm_enabled() {
  return [](const stanza& s) { return is_nonza(s, "enabled", ns::sm); };
}

predicate sm_resumed() {
  return [](const stanza& s) { return is_nonza(s, "resumed", ns::sm); };
}

predicate sm_failed() {
  return [](const stanza& s) { return is_nonza(s, "failed", ns::sm); };
}

}  // namespace is

}  // namespace amoc::xmpp
