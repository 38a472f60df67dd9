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
      // Under the wheel's lock a linked user's state cannot be destroyed, and
      // while it lives it holds a reference to its actor: copying it is safe.
      const bool more = wheel->expire(self->clock().now(), [&](timer_hook& hook) {
        const auto& user = static_cast<const user_state&>(hook);
        due.emplace_back(user.handle(), user.token());
      });
      for (auto& [ptr, token] : due)
        self->send(caf::actor_cast<caf::actor>(std::move(ptr)), atom::wake_v, token);
      if (more)
        self->delayed_send(self, wheel->resolution(), atom::tick_v);
    },
  };
}

}  // namespace amoc::detail
