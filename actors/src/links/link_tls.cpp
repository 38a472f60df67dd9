#include "link_tls.hpp"

#include "amoc/net/tls_client.hpp"

namespace amoc::links {

caf::expected<boost::asio::ssl::context> link_tls_context(const link_security& sec, bool server) {
  net::tls_settings settings;
  settings.ca_file = sec.ca;
  settings.cert_file = sec.cert;
  settings.key_file = sec.key;
  settings.require_peer_cert = true;
  settings.allow_unexpected_eof = false;
  return server ? net::tls_server_context(settings, "node links")
                : net::tls_client_context(settings, "node links");
}

}  // namespace amoc::links
