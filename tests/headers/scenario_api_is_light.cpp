// The scenario-facing headers must stay light so a scenario plugin compiles
// in seconds (scripts/bench/scenario-compile): no CAF, no Asio or Beast, and
// nlohmann/json only forward-declared.
#include "amoc/coordinator.hpp"
#include "amoc/scenario.hpp"
#include "amoc/throttle.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "amoc/xmpp/steps.hpp"

#ifdef CAF_VERSION
#error "the scenario API must not include CAF headers"
#endif
#ifdef BOOST_ASIO_VERSION
#error "the scenario API must not include Boost.Asio"
#endif
#ifdef BOOST_BEAST_VERSION
#error "the scenario API must not include Boost.Beast"
#endif
#ifdef INCLUDE_NLOHMANN_JSON_HPP_
#error "the scenario API must not include the full nlohmann/json.hpp"
#endif
