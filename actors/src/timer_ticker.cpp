#include "timer_ticker.hpp"

#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>

#include "amoc/actors.hpp"
#include "user_actor.hpp"

namespace amoc::detail {

caf::behavior timer_ticker(caf::event_based_actor* self, std::shared_ptr<timer_wheel> wheel) {
  return {
    [self, wheel](atom::tick) {
      std::vector<std::pair<caf::strong_actor_ptr, std::uint32_t>> due;
      // Under the wheel's lock a linked user cannot be destroyed, so taking a
      // strong reference (if the actor is still referenced at all) is safe.
      const bool more = wheel->expire(self->clock().now(), [&](timer_hook& hook) {
        auto& user = static_cast<user_state&>(hook);
        if (auto ptr = user.strong_self())
          due.emplace_back(std::move(ptr), user.token());
      });
      for (auto& [ptr, token] : due)
        self->send(caf::actor_cast<caf::actor>(std::move(ptr)), atom::wake_v, token);
      if (more)
        self->delayed_send(self, wheel->resolution(), atom::tick_v);
    },
  };
}

}  // namespace amoc::detail
