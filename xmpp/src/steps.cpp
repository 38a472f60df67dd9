#include "amoc/xmpp/steps.hpp"

#include <charconv>
#include <string>

#include "amoc/xmpp/namespaces.hpp"

#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "base64.hpp"
#include "sasl.hpp"

namespace amoc::xmpp::steps {

namespace {

bool offers(const client& c, std::string_view name, std::string_view xmlns) {
  return static_cast<bool>(c.features().child(name, xmlns));
}

// Predicates are built before `co_await`: g++ 12 cannot keep an initializer
// list's array alive across a suspension point ("array used as initializer").

std::string auth_request(detail::sasl_mechanism& mechanism) {
  return stanzas::sasl_auth(mechanism.name(), detail::base64_encode(mechanism.initial_response()))
    .xml();
}

// The rest of a SASL exchange once `<auth/>` is out: challenges answered
// until success or failure.
task<> sasl_answers(client& c, detail::sasl_mechanism& mechanism) {
  const auto sasl_answer =
    is::any_of({is::sasl_challenge(), is::sasl_success(), is::sasl_failure()});
  for (;;) {
    auto reply = co_await c.expect(sasl_answer, "SASL answer");
    if (is::sasl_failure()(reply)) {
      const auto cond = sasl_failure_condition(reply);
      c.fail(cond.condition, cond.text);
    }
    auto data = detail::base64_decode(reply.root().text().get());
    if (!data)
      c.fail("bad-base64", std::string{"in <"} += std::string{reply.name()} += ">");
    if (is::sasl_success()(reply)) {
      if (auto err = mechanism.verify_success(*data))
        c.fail("server-not-verified", err->message);
      co_return;
    }
    auto answer = mechanism.respond(*data);
    if (auto* err = std::get_if<detail::sasl_error>(&answer))
      c.fail("bad-challenge", err->message);
    c.send_raw(stanzas::sasl_response(detail::base64_encode(std::get<std::string>(answer))).xml());
  }
}

std::vector<std::string> wanted_mechanisms(const client& c) {
  return c.username().empty() ? std::vector<std::string>{"ANONYMOUS"}
                              : c.settings().sasl_mechanisms;
}

[[noreturn]] void fail_no_common_mechanism(client& c, const std::vector<std::string>& offered) {
  std::string list;
  for (const auto& m : offered)
    list += (list.empty() ? "" : ", ") + m;
  c.fail("no-common-mechanism", "the server offers [" + list + "]");
}

std::unique_ptr<detail::sasl_mechanism> make_mechanism(client& c, const std::string& name) {
  auto mechanism = detail::make_sasl(name, {c.username(), c.password()});
  if (!mechanism)
    c.fail("unsupported-mechanism", name);
  return mechanism;
}

// Binds the resource with the request `request` already sent.
task<> read_bind_result(client& c, const stanza& request) {
  auto reply = co_await c.expect(is::iq_with_id(request.id()), "bind result");
  if (reply.type() != "result") {
    const auto cond = stanza_error_condition(reply);
    c.fail(cond.condition, cond.text);
  }
  const auto bound = find_child(reply.child("bind", ns::bind), "jid").text().get();
  std::string why;
  auto j = jid::try_parse(bound, &why);
  if (!j)
    c.fail("bad-jid", "bound JID '" + std::string{bound} + "': " + why);
  c.set_bound_jid(std::move(*j));
}

}  // namespace

task<> authenticate(client& c) {
  c.set_phase(phase::sasl);
  const auto offered = detail::offered_mechanisms(c.features());
  const auto name = detail::choose_mechanism(offered, wanted_mechanisms(c));
  if (!name)
    fail_no_common_mechanism(c, offered);
  auto mechanism = make_mechanism(c, *name);
  c.send_raw(auth_request(*mechanism));
  co_await sasl_answers(c, *mechanism);
  co_await c.open_stream();
  co_await c.read_features();
}

task<> pipelined_login(client& c) {
  const auto wanted = wanted_mechanisms(c);
  std::unique_ptr<detail::sasl_mechanism> mechanism;
  if (c.stream_open()) {
    c.set_phase(phase::sasl);
    const auto offered = detail::offered_mechanisms(c.features());
    const auto name = detail::choose_mechanism(offered, wanted);
    if (!name)
      fail_no_common_mechanism(c, offered);
    mechanism = make_mechanism(c, *name);
    c.send_raw(auth_request(*mechanism));
  } else {
    c.set_phase(phase::stream);
    if (wanted.empty())
      c.fail("no-mechanism", "options.sasl_mechanisms is empty");
    mechanism = make_mechanism(c, wanted.front());
    co_await c.open_stream(auth_request(*mechanism));
    co_await c.read_features();
    const auto offered = detail::offered_mechanisms(c.features());
    c.set_phase(phase::sasl);
    if (!detail::choose_mechanism(offered, {wanted.front()}))
      fail_no_common_mechanism(c, offered);
  }
  co_await sasl_answers(c, *mechanism);
  c.set_phase(phase::bind);
  const auto request = stanzas::bind(c.settings().resource);
  co_await c.open_stream(request.xml());
  co_await c.read_features();
  if (!offers(c, "bind", ns::bind))
    c.fail("bind-not-offered", "the stream features have no <bind/>");
  co_await read_bind_result(c, request);
}

task<> start_stream(client& c) {
  c.set_phase(phase::stream);
  co_await c.open_stream();
  co_await c.read_features();
}

task<> maybe_starttls(client& c) {
  const auto mode = c.settings().starttls;
  if (c.secure() || c.settings().transport != transport::tcp)
    co_return;
  if (mode != starttls::off && !c.stream_open())
    co_await start_stream(c);
  if (mode == starttls::off) {
    // RFC 6120 §5.3.1: a server may make STARTTLS mandatory; say so rather
    // than fail later on an empty list of SASL mechanisms.
    if (find_child(c.features().child("starttls", ns::tls), "required")) {
      c.set_phase(phase::tls);
      c.fail("starttls-required-by-server", "the server requires STARTTLS and it is off");
    }
    co_return;
  }
  c.set_phase(phase::tls);
  if (!offers(c, "starttls", ns::tls)) {
    if (mode == starttls::required)
      c.fail("starttls-not-offered", "the server offers no STARTTLS and the options require it");
    co_return;
  }
  const auto answer =
    is::any_of({is::element("proceed", ns::tls), is::element("failure", ns::tls)});
  c.send_raw(stanzas::starttls().xml());
  auto reply = co_await c.expect(answer, "STARTTLS answer");
  if (reply.name() == "failure")
    c.fail("starttls-refused", "the server answered <failure/> to <starttls/>");
  co_await c.upgrade_to_tls();
  co_await c.open_stream();
  co_await c.read_features();
}

task<> bind(client& c) {
  c.set_phase(phase::bind);
  if (!offers(c, "bind", ns::bind))
    c.fail("bind-not-offered", "the stream features have no <bind/>");
  auto request = stanzas::bind(c.settings().resource);
  c.send(request);
  co_await read_bind_result(c, request);
}

task<> session(client& c) {
  const auto feature = c.features().child("session", ns::session);
  if (!feature || find_child(feature, "optional"))
    co_return;
  c.set_phase(phase::session);
  auto request = stanzas::session();
  c.send(request);
  auto reply = co_await c.expect(is::iq_with_id(request.id()), "session result");
  if (reply.type() != "result") {
    const auto cond = stanza_error_condition(reply);
    c.fail(cond.condition, cond.text);
  }
}

task<> maybe_stream_management(client& c) {
  if (!c.settings().stream_management || !offers(c, "sm", ns::sm))
    co_return;
  c.set_phase(phase::sm);
  const auto answer = is::any_of({is::sm_enabled(), is::sm_failed()});
  c.send_raw(stanzas::sm_enable(c.settings().stream_resumption).xml());
  auto reply = co_await c.expect(answer, "stream management answer");
  if (is::sm_failed()(reply))
    c.fail("sm-failed", "the server refused to enable stream management");
  c.stream_management_enabled(std::string{reply.attribute("id")}, 0, 0);
}

step resume(sm_state previous) {
  return [previous](client& c) -> task<> {
    c.set_phase(phase::sm);
    if (previous.id.empty())
      c.fail("not-resumable", "the previous session has no resumption id");
    const auto answer = is::any_of({is::sm_resumed(), is::sm_failed()});
    c.send_raw(stanzas::sm_resume(previous.id, previous.inbound).xml());
    auto reply = co_await c.expect(answer, "resumption answer");
    if (is::sm_failed()(reply))
      c.fail("resume-failed", "the server could not resume session " + previous.id);
    // §5: `h` counts what the server handled of ours; the client re-sends the
    // rest, so it is where our outbound count continues from.
    const auto h = reply.attribute("h");
    std::uint32_t handled = 0;
    if (std::from_chars(h.data(), h.data() + h.size(), handled).ec != std::errc{}
        || handled > previous.outbound)
      c.fail("bad-resumed", "<resumed/> with h='" + std::string{h} + "' after "
                              + std::to_string(previous.outbound) + " stanzas sent");
    c.stream_management_enabled(previous.id, previous.inbound, handled);
  };
}

task<> register_account(client& c) {
  c.set_phase(phase::registration);
  auto request = stanzas::register_account(c.username(), c.password());
  c.send(request);
  auto reply = co_await c.expect(is::iq_with_id(request.id()), "registration result");
  if (reply.type() == "result")
    co_return;
  const auto cond = stanza_error_condition(reply);
  if (cond.condition != "conflict")
    c.fail(cond.condition, cond.text);
}

task<> remove_account(client& c) {
  c.set_phase(phase::registration);
  const auto request = stanzas::remove_account();
  c.expect_stream_end();
  c.send(request);
  // XEP-0077 §3.2: the server may close the stream instead of answering.
  auto reply = co_await c.expect_or_close(is::iq_with_id(request.id()), "account removal result");
  if (reply && reply->type() != "result") {
    const auto cond = stanza_error_condition(*reply);
    c.fail(cond.condition, cond.text);
  }
}

std::vector<step> defaults() {
  return {start_stream, maybe_starttls, authenticate, bind, session, maybe_stream_management};
}

std::vector<step> pipelined() {
  return {maybe_starttls, pipelined_login, session, maybe_stream_management};
}

}  // namespace amoc::xmpp::steps
