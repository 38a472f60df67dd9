#pragma once

#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/ssl/context.hpp>
#include <caf/expected.hpp>

#include "amoc/link_security.hpp"

namespace amoc::links {

/// Mutual TLS for node links: this node's certificate and key, peers checked
/// against the cluster CA and required to show a certificate (TLS 1.2 or
/// later). Host names are not checked: the cluster CA signs only nodes.
/// Errors name the file that could not be used.
[[nodiscard]] caf::expected<boost::asio::ssl::context> link_tls_context(const link_security& sec,
                                                                        bool server);

}  // namespace amoc::links
