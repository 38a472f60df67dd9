#include "setup_iq.hpp"

#include <chrono>

namespace amoc::scenarios {

task<xmpp::stanza> send_setup_iq(user& u, xmpp::client& c, xmpp::stanza request, int attempts,
                                 std::string final_condition) {
  auto reply = co_await c.send_iq_and_wait(request, c.settings().step_timeout);
  for (int attempt = 1; attempt < attempts && reply.type() != "result" && !u.stopping();
       ++attempt) {
    if (xmpp::stanza_error_condition(reply).condition == final_condition)
      break;
    co_await u.sleep(std::chrono::milliseconds{50 * attempt});
    reply = co_await c.send_iq_and_wait(request, c.settings().step_timeout);
  }
  co_return reply;
}

}  // namespace amoc::scenarios
