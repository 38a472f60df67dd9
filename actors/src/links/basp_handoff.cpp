#include "basp_handoff.hpp"

#include <set>
#include <string>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/io/basp_broker.hpp>
#include <caf/io/middleman.hpp>
#include <caf/send.hpp>

namespace amoc::links {

caf::actor basp_broker(caf::actor_system& sys) {
  return sys.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"));
}

caf::io::scribe_ptr scribe_for(caf::actor_system& sys, int fd) {
  return sys.middleman().backend().new_scribe(fd);
}

void serve(const caf::actor& broker, caf::io::scribe_ptr link, std::uint16_t port,
           const caf::actor& published) {
  // The broker's doorman-less accept (BASP 0.17): it adds the scribe, keeps
  // `published` as the actor on `port` and writes its server handshake.
  caf::anon_send(broker, caf::publish_atom::value, std::move(link), port,
                 caf::actor_cast<caf::strong_actor_ptr>(published), std::set<std::string>{});
}

}  // namespace amoc::links
