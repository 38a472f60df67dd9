#include "amoc/net/tls_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "amoc/error.hpp"

namespace amoc::net {

namespace ssl = boost::asio::ssl;

namespace {

caf::expected<ssl::context> build_tls_context(ssl::context::method method, const tls_settings& s,
                                              std::string_view who) {
  ssl::context ctx{method};
  boost::system::error_code err;
  auto problem = [&](const std::string& what, const std::string& file) {
    return make_error(ec::invalid_config, std::string{who} + ": cannot use " + what + " " + file
                                            + ": " + err.message());
  };
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2
                    | ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                  err);
  if (s.allow_unexpected_eof)
    SSL_CTX_set_options(ctx.native_handle(), SSL_OP_IGNORE_UNEXPECTED_EOF);
  // An idle session then keeps no 34 KB of record buffers.
  SSL_CTX_set_mode(ctx.native_handle(), SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE
                                          | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!s.cert_file.empty() && ctx.use_certificate_chain_file(s.cert_file, err))
    return problem("the certificate", s.cert_file);
  if (!s.key_file.empty() && ctx.use_private_key_file(s.key_file, ssl::context::pem, err))
    return problem("the key", s.key_file);
  if (s.ca_file.empty())
    ctx.set_default_verify_paths(err);
  else if (ctx.load_verify_file(s.ca_file, err))
    return problem("the CA", s.ca_file);
  if (!s.verify_peer)
    ctx.set_verify_mode(ssl::verify_none);
  else if (s.require_peer_cert)
    ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  else
    ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

}  // namespace

caf::expected<ssl::context> tls_client_context(const tls_settings& settings, std::string_view who) {
  return build_tls_context(ssl::context::tls_client, settings, who);
}

caf::expected<ssl::context*> shared_tls_client_context(const tls_settings& settings,
                                                       std::string_view who) {
  static std::mutex mutex;
  using key = std::tuple<bool, std::string, std::string, std::string, bool, bool>;
  static std::map<key, std::unique_ptr<ssl::context>> contexts;
  const key k{settings.verify_peer, settings.ca_file,           settings.cert_file,
              settings.key_file,    settings.require_peer_cert, settings.allow_unexpected_eof};
  std::lock_guard guard{mutex};
  auto& slot = contexts[k];
  if (!slot) {
    auto made = tls_client_context(settings, who);
    if (!made) {
      contexts.erase(k);
      return made.error();
    }
    slot = std::make_unique<ssl::context>(std::move(*made));
  }
  return slot.get();
}

caf::expected<ssl::context> tls_server_context(const tls_settings& settings, std::string_view who) {
  return build_tls_context(ssl::context::tls_server, settings, who);
}

std::string tls_errors() {
  std::string text;
  while (auto code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!text.empty())
      text += "; ";
    text += buf;
  }
  return text.empty() ? "no detail from OpenSSL" : text;
}

}  // namespace amoc::net
