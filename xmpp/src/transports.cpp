#include "transports.hpp"

#include "bosh_connection.hpp"
#include "share_alike.hpp"
#include "socket_connection.hpp"
#include "websocket_connection.hpp"

namespace amoc::xmpp::detail {

namespace {

// What the server may make us buffer: unsent bytes before sending fails.
constexpr std::size_t max_send_buffer = 4 << 20;

}  // namespace

std::shared_ptr<connection> make_connection(const connection_settings& opts, boost::asio::io_context& io,
                                            xmpp_metrics& metrics) {
  const connection_limits limits{opts.max_stanza_bytes, opts.max_unread_stanzas,
                                 opts.max_unread_bytes, max_send_buffer};
  switch (opts.transport) {
  case transport::tcp:
  case transport::tls: return std::make_shared<socket_connection>(io, limits, metrics);
  case transport::websocket: return make_websocket_connection(false, io, limits, metrics);
  case transport::websocket_tls: return make_websocket_connection(true, io, limits, metrics);
  case transport::bosh: return make_bosh_connection(false, io, limits, metrics);
  case transport::bosh_tls: return make_bosh_connection(true, io, limits, metrics);
  }
  return nullptr;
}

std::shared_ptr<const endpoint_spec> endpoint_for(const connection_settings& opts,
                                                  const std::string& source_address) {
  const bool tls = opts.transport == transport::tls || opts.transport == transport::websocket_tls
                   || opts.transport == transport::bosh_tls;
  endpoint_spec spec{opts.host, opts.port,       source_address, opts.domain,
                     tls,       opts.verify_tls, opts.websocket_path, opts.bosh_path};
  spec.bosh_hold = opts.bosh_hold;
  spec.bosh_wait =
    static_cast<unsigned>(std::chrono::duration_cast<std::chrono::seconds>(opts.bosh_wait).count());
  return share_alike<endpoint_spec>(std::move(spec));
}

}  // namespace amoc::xmpp::detail
