#include "tls_context.hpp"

#include <openssl/err.h>

#include <memory>
#include <stdexcept>

namespace amoc::xmpp::detail {

namespace {

struct ctx_deleter {
  void operator()(SSL_CTX* ctx) const noexcept { SSL_CTX_free(ctx); }
};
using ctx_ptr = std::unique_ptr<SSL_CTX, ctx_deleter>;

ctx_ptr make_context(bool verify) {
  ctx_ptr ctx{SSL_CTX_new(TLS_client_method())};
  if (!ctx)
    throw std::runtime_error("cannot create a TLS context: " + tls_errors());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  // A server that drops TCP without close_notify reads as a plain EOF.
  SSL_CTX_set_options(ctx.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE
                                | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (verify) {
    SSL_CTX_set_default_verify_paths(ctx.get());
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  }
  return ctx;
}

}  // namespace

SSL_CTX* tls_client_context(bool verify) {
  static const ctx_ptr verifying = make_context(true);
  static const ctx_ptr trusting = make_context(false);
  return verify ? verifying.get() : trusting.get();
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

}  // namespace amoc::xmpp::detail
