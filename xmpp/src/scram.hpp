#pragma once

// SCRAM (RFC 5802, RFC 7677) client, without channel binding: see sasl.hpp.

#include <memory>
#include <string>
#include <string_view>

#include "sasl.hpp"

namespace amoc::xmpp::detail {

/// "SCRAM-SHA-1", "SCRAM-SHA-256" or "SCRAM-SHA-512"; nullptr for another name.
[[nodiscard]] std::unique_ptr<sasl_mechanism>
make_scram(std::string_view name, sasl_credentials credentials, std::string client_nonce);

}  // namespace amoc::xmpp::detail
