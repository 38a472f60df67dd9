#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include "connection.hpp"

namespace amoc::xmpp::detail {

/// XMPP over WebSocket (RFC 7395), ws:// or wss://, with Boost.Beast: each
/// WebSocket message carries one element, `<open/>` and `<close/>` replace
/// the stream header and end tag. Beast streams are not thread-safe, so every
/// operation runs on the I/O thread; sends are queued and written in order.
[[nodiscard]] std::shared_ptr<connection> make_websocket_connection(bool tls,
                                                                    boost::asio::io_context& io,
                                                                    connection_limits limits,
                                                                    xmpp_metrics& metrics);

}  // namespace amoc::xmpp::detail
