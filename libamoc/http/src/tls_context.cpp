#include "tls_context.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace amoc::http::detail {

namespace ssl = boost::asio::ssl;

namespace {

std::unique_ptr<ssl::context> make_context(bool verify, const std::string& ca_file) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1
                   | ssl::context::no_tlsv1_1);
  // A server that drops TCP without close_notify (common over HTTP/1.1,
  // where the length is known) reads as a plain EOF, not a TLS error.
  SSL_CTX_set_options(ctx->native_handle(), SSL_OP_IGNORE_UNEXPECTED_EOF);
  if (!verify) {
    ctx->set_verify_mode(ssl::verify_none);
    return ctx;
  }
  if (ca_file.empty())
    ctx->set_default_verify_paths();
  else
    ctx->load_verify_file(ca_file);  // throws on a missing or bad file
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

}  // namespace

ssl::context& tls_context(bool verify, const std::string& ca_file) {
  static std::mutex mutex;
  static std::map<std::pair<bool, std::string>, std::unique_ptr<ssl::context>> contexts;
  std::lock_guard guard{mutex};
  auto& slot = contexts[{verify, verify ? ca_file : std::string{}}];
  if (!slot)
    slot = make_context(verify, ca_file);
  return *slot;
}

}  // namespace amoc::http::detail
