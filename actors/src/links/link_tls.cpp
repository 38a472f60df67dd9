#include "link_tls.hpp"

#include "amoc/error.hpp"

namespace amoc::links {

namespace ssl = boost::asio::ssl;

caf::expected<ssl::context> link_tls_context(const link_security& sec, bool server) {
  ssl::context ctx{server ? ssl::context::tls_server : ssl::context::tls_client};
  boost::system::error_code err;
  auto problem = [&](const std::string& what, const std::string& file) {
    return make_error(ec::invalid_config,
                      "node links: cannot use " + what + " " + file + ": " + err.message());
  };
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2
                    | ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                  err);
  if (ctx.use_certificate_chain_file(sec.cert, err))
    return problem("the certificate", sec.cert);
  if (ctx.use_private_key_file(sec.key, ssl::context::pem, err))
    return problem("the key", sec.key);
  if (ctx.load_verify_file(sec.ca, err))
    return problem("the CA", sec.ca);
  ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  return ctx;
}

}  // namespace amoc::links
