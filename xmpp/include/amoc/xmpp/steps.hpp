#pragma once

/// Login steps, escalus style: `client::connect(steps)` runs them in order
/// after the connection is up. Each sets its phase, so a failure says where
/// the login broke and `xmpp.login.<phase>` times each part. Write your own
/// as any `task<>(client&)` coroutine using the client's "for login steps" API.
///
///   co_await c.connect();                                  // steps::defaults()
///   co_await c.connect_with(steps::start_stream, steps::maybe_starttls,
///                           steps::register_account, steps::authenticate,
///                           steps::bind, steps::session);

#include <vector>

#include "amoc/task.hpp"
#include "amoc/xmpp/client.hpp"

namespace amoc::xmpp::steps {

/// Opens the stream and reads its features (escalus: start_stream + stream_features).
[[nodiscard]] task<> start_stream(client& c);
/// STARTTLS (RFC 6120 §5) as `options.starttls` says, then a new stream
/// (opening the first one if no step did).
[[nodiscard]] task<> maybe_starttls(client& c);
/// SASL (RFC 6120 §6) with the first of `options.sasl_mechanisms` the server
/// offers (ANONYMOUS when the username is empty), then a new stream.
[[nodiscard]] task<> authenticate(client& c);
/// Resource binding (RFC 6120 §7).
[[nodiscard]] task<> bind(client& c);
/// Session establishment when the server requires it (RFC 3921 §3); skipped
/// when the server does not offer it or marks it optional.
[[nodiscard]] task<> session(client& c);
/// XEP-0198: enables stream management when `options.stream_management` is
/// set and the server offers it (resumable with `options.stream_resumption`).
[[nodiscard]] task<> maybe_stream_management(client& c);
/// XEP-0077: registers `options.username` with `options.password` (before
/// `authenticate`). An account that exists already (`conflict`) counts as registered.
[[nodiscard]] task<> register_account(client& c);
/// XEP-0198 §5: resumes `previous` instead of binding (after `authenticate`).
/// The new client's `stream_management().outbound` is then the server's `h`:
/// the stanzas sent after it never reached the server; re-send them.
[[nodiscard]] step resume(sm_state previous);
/// SASL and resource binding in two round trips (XEP-0305 §3): opens the
/// stream with the `<auth/>` behind its header when no stream is open yet
/// (the mechanism is then the first of `options.sasl_mechanisms`, checked
/// against the features when they come), and after success sends the new
/// header with the bind request.
[[nodiscard]] task<> pipelined_login(client& c);

/// start_stream, maybe_starttls, authenticate, bind, session, maybe_stream_management.
[[nodiscard]] std::vector<step> defaults();
/// maybe_starttls, pipelined_login, session, maybe_stream_management
/// (what `connect()` runs when `options.pipelining` is set).
[[nodiscard]] std::vector<step> pipelined();

/// XEP-0077 §3.2: removes the logged-in user's account.
[[nodiscard]] task<> remove_account(client& c);

}  // namespace amoc::xmpp::steps
