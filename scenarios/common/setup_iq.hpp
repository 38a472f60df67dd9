#pragma once

// Setup and cleanup requests that a busy server may refuse for a moment:
// ejabberd 23.01 on Mnesia aborts concurrent PubSub node creations and
// deletions ("cyclic" lock on pubsub_index) and answers with an error. What a
// scenario measures is never retried; creating and deleting its nodes are
// not measurements, and a node left behind spoils the next run.

#include <string>

#include "amoc/task.hpp"
#include "amoc/user.hpp"
#include "amoc/xmpp/client.hpp"

namespace amoc::scenarios {

/// Sends `request` until the reply is a result or an error of condition
/// `final_condition` ("conflict" on a creation: the node exists), at most
/// `attempts` times with a pause of 50 ms, then 100 ms, ... in between;
/// the last reply.
[[nodiscard]] task<xmpp::stanza> send_setup_iq(user& u, xmpp::client& c, xmpp::stanza request,
                                               int attempts, std::string final_condition);

}  // namespace amoc::scenarios
