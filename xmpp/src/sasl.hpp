#pragma once

// SASL mechanisms for the client's authentication step (RFC 6120 §6):
// PLAIN (RFC 4616), ANONYMOUS (RFC 4505), SCRAM-SHA-1, SCRAM-SHA-256 and
// SCRAM-SHA-512 (RFC 5802, RFC 7677) without channel binding. Mechanisms work
// on raw bytes; the client base64-encodes what goes into <auth/> and
// <response/> and decodes <challenge/> and <success/>.
//
//   auto m = make_sasl("SCRAM-SHA-256", {"user_1", "password_1"});
//   send(stanzas::sasl_auth(m->name(), base64_encode(m->initial_response())));
//   on <challenge/>: auto r = m->respond(decoded);   // a sasl_error ends the login
//   on <success/>:   if (auto e = m->verify_success(decoded)) fail(*e);

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp::detail {

struct sasl_credentials {
  std::string username;
  std::string password;
};

/// Why an exchange must stop: the server's data is invalid, reports an error
/// or fails verification. `message` says which, for the failure reason.
struct sasl_error {
  std::string message;
};

/// One authentication exchange; a mechanism object is used for one login.
class sasl_mechanism {
public:
  virtual ~sasl_mechanism() = default;

  /// The IANA name, as in `<mechanism/>`: "PLAIN", "SCRAM-SHA-256", ...
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// The initial response (raw bytes). Every mechanism here sends one; it may
  /// be empty (ANONYMOUS), which `stanzas::sasl_auth` sends as "=".
  [[nodiscard]] virtual std::string initial_response() = 0;
  /// Answers a server challenge (raw bytes).
  [[nodiscard]] virtual std::variant<std::string, sasl_error>
  respond(std::string_view challenge) = 0;
  /// Checks the additional data of `<success/>` (raw bytes, "" when none):
  /// SCRAM verifies the server's signature here, so that a server that does
  /// not know the password cannot pass. nullopt when all is well.
  [[nodiscard]] virtual std::optional<sasl_error> verify_success(std::string_view data) = 0;
};

/// The mechanism called `name`, or nullptr when it is not supported.
/// `client_nonce` is for tests only (deterministic RFC vectors); it is random otherwise.
[[nodiscard]] std::unique_ptr<sasl_mechanism>
make_sasl(std::string_view name, sasl_credentials credentials, std::string client_nonce = {});

/// The names `make_sasl` knows, strongest first.
[[nodiscard]] const std::vector<std::string>& supported_sasl_mechanisms();

/// The first of `preferred` that the server offers (names compare exactly, as IANA spells them).
[[nodiscard]] std::optional<std::string>
choose_mechanism(const std::vector<std::string>& offered,
                 const std::vector<std::string>& preferred);

/// The mechanisms a `<stream:features/>` offers (RFC 6120 §6.4.1), in its order.
[[nodiscard]] std::vector<std::string> offered_mechanisms(const stanza& features);

/// SCRAM's salted passwords are remembered per (hash, password, salt, iteration
/// count), so a user who logs in again against a server that keeps its salt
/// skips PBKDF2. Counts for tests and benchmarks.
struct scram_cache_stats {
  std::size_t hits = 0;
  std::size_t misses = 0;
  std::size_t entries = 0;
};
[[nodiscard]] scram_cache_stats scram_cache_statistics();
/// Empties the cache (tests and benchmarks).
void clear_scram_cache();

}  // namespace amoc::xmpp::detail
