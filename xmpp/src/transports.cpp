#include "transports.hpp"

#include "socket_connection.hpp"
#include "websocket_connection.hpp"

namespace amoc::xmpp::detail {

namespace {

// What the server may make us buffer: unsent bytes before sending fails.
constexpr std::size_t max_send_buffer = 4 << 20;

}  // namespace

std::shared_ptr<connection> make_connection(const options& opts, boost::asio::io_context& io,
                                            xmpp_metrics& metrics) {
  const connection_limits limits{opts.max_stanza_bytes, opts.max_unread_stanzas,
                                 opts.max_unread_bytes, max_send_buffer};
  switch (opts.transport) {
  case transport::tcp:
  case transport::tls: return std::make_shared<socket_connection>(io, limits, metrics);
  case transport::websocket: return make_websocket_connection(false, io, limits, metrics);
  case transport::websocket_tls: return make_websocket_connection(true, io, limits, metrics);
  }
  return nullptr;
}

endpoint_spec endpoint_for(const options& opts) {
  const bool tls = opts.transport == transport::tls || opts.transport == transport::websocket_tls;
  return {opts.host, opts.port,       opts.source_address, opts.domain,
          tls,       opts.verify_tls, opts.websocket_path};
}

}  // namespace amoc::xmpp::detail
