#include "amoc/xmpp/registration.hpp"

#include "amoc/xmpp/namespaces.hpp"
#include "builder_kit.hpp"

namespace amoc::xmpp {

namespace stanzas {

using namespace detail;

stanza registration_form(std::string_view to) {
  return iq_with_empty_child("get", "query", ns::registration, to);
}

stanza register_account(std::string_view username, std::string_view password, std::string_view to) {
  require(!username.empty(), "register_account: empty username");
  xml_writer w{estimate(128, {username, password, to})};
  open_iq(w, "set", to, {}).end_open().open("query").attr("xmlns", ns::registration).end_open();
  w.text_element("username", username).text_element("password", password);
  return w.close("query").close("iq").to_stanza();
}

stanza remove_account() {
  xml_writer w{96};
  open_iq(w, "set", {}, {}).end_open().open("query").attr("xmlns", ns::registration).end_open();
  return w.raw("<remove/>").close("query").close("iq").to_stanza();
}

}  // namespace stanzas

read_result<registration_fields> read_registration_form(const stanza& s) {
  if (s.name() == "iq" && s.type() == "error")
    return detail::error_reply("registration form", s);
  const auto query = s.child("query", ns::registration);
  if (s.name() != "iq" || s.type() != "result" || !query)
    return detail::malformed("registration form: no iq result with <query "
                             "xmlns='jabber:iq:register'/>",
                             s);
  registration_fields out;
  for (auto c : query.children()) {
    if (c.type() != pugi::node_element)
      continue;
    const std::string_view name = c.name();
    if (name == "registered") {
      out.registered = true;
    } else if (name == "instructions") {
      out.instructions = c.text().get();
    } else if (name == "x" && c.attribute("xmlns").value() == ns::data_forms) {
      auto form = read_data_form(c);
      if (!form)
        return read_error{form.error()};
      out.form = std::move(*form);
    } else if (c.attribute("xmlns").empty()) {
      // Legacy fields share the query's namespace; other extensions (OOB, ...) are not fields.
      out.fields.emplace_back(name);
    }
  }
  return out;
}

error_condition registration_failure(const stanza& reply) {
  if (reply.name() == "iq" && reply.type() == "result")
    return {};
  if (reply.name() == "iq" && reply.type() == "error")
    return stanza_error_condition(reply);
  return {"undefined-condition", "not an iq reply", {}};
}

std::string_view registration_condition_meaning(std::string_view condition) {
  struct meaning {
    std::string_view condition, text;
  };
  static constexpr meaning meanings[] = {
    {"conflict", "the username is taken"},
    {"not-acceptable", "a required field is missing or a value is not acceptable"},
    {"bad-request", "the request is malformed or a required field is missing"},
    {"not-allowed", "registration or removal is not allowed"},
    {"forbidden", "the requester may not register or remove this account"},
    {"not-authorized", "the requester must authenticate first"},
    {"registration-required", "the entity is not registered"},
    {"resource-constraint", "the service limits registrations (too many, too fast)"},
    {"service-unavailable", "the service does not offer in-band registration"},
  };
  for (const auto& m : meanings)
    if (m.condition == condition)
      return m.text;
  return {};
}

namespace is {

predicate registration_failed(const stanza& request, std::string_view condition) {
  return [id = std::string{request.id()}, condition = std::string{condition}](const stanza& s) {
    if (s.name() != "iq" || s.type() != "error" || s.id() != id)
      return false;
    return condition.empty() || stanza_error_condition(s).condition == condition;
  };
}

}  // namespace is

}  // namespace amoc::xmpp
