#pragma once

/// In-band registration (XEP-0077): the form, registering an account,
/// removing the logged-in one; a reader for the form and a predicate and
/// reader for the outcome, so a registration storm counts failures by
/// condition (conflict: the name is taken, not-acceptable: a required field
/// is missing, ...).
///
///   auto reply = co_await client.send_iq_and_wait(stanzas::register_account("u1", "pw"), 5s);
///   if (auto why = registration_failure(reply); !why.condition.empty()) count(why.condition);

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/xmpp/read_result.hpp"

#include "amoc/xmpp/data_form.hpp"
#include "amoc/xmpp/predicates.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

namespace stanzas {

/// Asks for the registration form (XEP-0077 §3.1).
[[nodiscard]] stanza registration_form(std::string_view to = {});
/// Registers `username` with `password` (§3.1).
[[nodiscard]] stanza register_account(std::string_view username, std::string_view password,
                                      std::string_view to = {});
/// Cancels the logged-in user's account (§3.2).
[[nodiscard]] stanza remove_account();

}  // namespace stanzas

/// What the registration form asks for (XEP-0077 §3.1, §4).
struct registration_fields {
  bool registered = false;          ///< `<registered/>`: the entity already has an account
  std::string instructions;         ///< the `<instructions/>` text
  std::vector<std::string> fields;  ///< the legacy fields asked for: username, password, email, ...
  std::optional<data_form> form;    ///< the data form, when the service sends one (§6)
};

/// Reads the answer to `registration_form`; an iq error gives an error naming
/// its condition (service-unavailable: registration is off, ...).
[[nodiscard]] read_result<registration_fields> read_registration_form(const stanza& s);

/// Why a registration or removal failed: the error's condition, type and
/// text; an empty condition for a result (success). Any other stanza reads
/// as condition "undefined-condition".
[[nodiscard]] error_condition registration_failure(const stanza& reply);

/// What an XEP-0077 error condition means for a registration (§3.1, §3.2):
/// "the username is taken" for conflict, ...; "" for a condition it does not define.
[[nodiscard]] std::string_view registration_condition_meaning(std::string_view condition);

namespace is {

/// The answer to `request` (a registration or removal) that failed, with `condition` when given.
[[nodiscard]] predicate registration_failed(const stanza& request, std::string_view condition = {});

}  // namespace is

}  // namespace amoc::xmpp
