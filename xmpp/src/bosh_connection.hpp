#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include "connection.hpp"

namespace amoc::xmpp::detail {

/// XMPP over BOSH (XEP-0124, XEP-0206), http:// or https://, with
/// Boost.Beast: stanzas travel in the <body/> of HTTP POSTs on up to
/// `requests` keep-alive connections, one request outstanding on each; an
/// empty request waits at the server so that it can push. The stream header
/// and close become the session creation (or restart) and the terminate
/// request. Beast streams are not thread-safe, so every operation runs on the
/// I/O thread; sends are queued in the session's window (bosh_window.hpp).
[[nodiscard]] std::shared_ptr<connection> make_bosh_connection(bool tls,
                                                               boost::asio::io_context& io,
                                                               connection_limits limits,
                                                               xmpp_metrics& metrics);

}  // namespace amoc::xmpp::detail
