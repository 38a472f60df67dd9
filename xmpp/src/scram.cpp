#include "scram.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "base64.hpp"

namespace amoc::xmpp::detail {

namespace {

// A server may ask for any iteration count; this bounds the CPU one login can
// cost (4096 is usual; 1,000,000 PBKDF2-SHA-256 rounds take about half a second).
constexpr std::uint32_t max_iterations = 1'000'000;

using digest = std::array<unsigned char, EVP_MAX_MD_SIZE>;

// ---- crypto, OpenSSL only ------------------------------------------------------

struct hash_function {
  const EVP_MD* md;
  std::size_t size;
};

std::string_view bytes_of(const digest& d, std::size_t size) {
  return {reinterpret_cast<const char*>(d.data()), size};
}

digest hmac(const hash_function& h, std::string_view key, std::string_view data) {
  digest out{};
  unsigned int len = 0;
  HMAC(h.md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return out;
}

digest hash(const hash_function& h, std::string_view data) {
  digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, h.md, nullptr);
  return out;
}

digest pbkdf2(const hash_function& h, std::string_view password, std::string_view salt,
              std::uint32_t iterations) {
  digest out{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), static_cast<int>(iterations), h.md,
                    static_cast<int>(h.size), out.data());
  return out;
}

// ---- the salted-password cache -------------------------------------------------
//
// Servers that store SCRAM hashes keep one salt per account, so a user who
// logs in again is asked for the same PBKDF2 as before: remember it. (Servers
// that store plain passwords may pick a new salt per login; then this only
// misses.) Two generations make a cheap LRU: when the young one is full it
// becomes the old one and the previous old one is dropped; a hit in the old
// one moves the entry to the young one. Keys are SHA-256 digests, so the cache
// does not hold passwords.

class salted_password_cache {
public:
  using key = std::array<unsigned char, 32>;

  static key make_key(const hash_function& h, std::string_view password, std::string_view salt,
                      std::uint32_t iterations) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    const std::string_view name = EVP_MD_get0_name(h.md);
    // Lengths first, so that no two different inputs concatenate alike.
    for (std::string_view part : {name, password, salt}) {
      const std::uint64_t n = part.size();
      EVP_DigestUpdate(ctx, &n, sizeof n);
      EVP_DigestUpdate(ctx, part.data(), part.size());
    }
    EVP_DigestUpdate(ctx, &iterations, sizeof iterations);
    key k{};
    EVP_DigestFinal_ex(ctx, k.data(), nullptr);
    EVP_MD_CTX_free(ctx);
    return k;
  }

  std::optional<digest> find(const key& k) {
    std::lock_guard lock{mutex_};
    if (auto it = young_.find(k); it != young_.end()) {
      ++hits_;
      return it->second;
    }
    if (auto it = old_.find(k); it != old_.end()) {
      ++hits_;
      auto value = it->second;
      old_.erase(it);
      insert_locked(k, value);
      return value;
    }
    ++misses_;
    return std::nullopt;
  }

  void insert(const key& k, const digest& value) {
    std::lock_guard lock{mutex_};
    insert_locked(k, value);
  }

  scram_cache_stats stats() {
    std::lock_guard lock{mutex_};
    return {hits_, misses_, young_.size() + old_.size()};
  }

  void clear() {
    std::lock_guard lock{mutex_};
    young_.clear();
    old_.clear();
    hits_ = misses_ = 0;
  }

private:
  // At most 2 × this many entries (about 150 bytes each).
  static constexpr std::size_t generation_size = 50'000;

  struct key_hash {
    std::size_t operator()(const key& k) const noexcept {
      std::size_t h;
      std::memcpy(&h, k.data(), sizeof h);  // the key is a digest already
      return h;
    }
  };
  using map = std::unordered_map<key, digest, key_hash>;

  void insert_locked(const key& k, const digest& value) {
    if (young_.size() >= generation_size) {
      old_ = std::move(young_);
      young_ = map{};
    }
    young_.insert_or_assign(k, value);
  }

  std::mutex mutex_;
  map young_;
  map old_;
  std::size_t hits_ = 0;
  std::size_t misses_ = 0;
};

salted_password_cache& cache() {
  static salted_password_cache instance;
  return instance;
}

digest salted_password(const hash_function& h, std::string_view password, std::string_view salt,
                       std::uint32_t iterations) {
  const auto key = salted_password_cache::make_key(h, password, salt, iterations);
  if (auto cached = cache().find(key))
    return *cached;
  auto value = pbkdf2(h, password, salt, iterations);
  cache().insert(key, value);
  return value;
}

// ---- message syntax (RFC 5802 §7) ------------------------------------------------

// RFC 5802 §5.1: '=' and ',' in the user name are written =3D and =2C.
std::string sasl_name(std::string_view username) {
  std::string out;
  out.reserve(username.size());
  for (char c : username) {
    if (c == '=')
      out += "=3D";
    else if (c == ',')
      out += "=2C";
    else
      out += c;
  }
  return out;
}

std::string random_nonce() {
  std::array<unsigned char, 18> bytes{};  // 144 bits: 24 base64 characters, no ','
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("SCRAM: no random bytes for the client nonce (RAND_bytes failed)");
  return base64_encode({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

// The attributes of a SCRAM message, "a=value,b=value,...".
struct attributes {
  std::vector<std::pair<char, std::string_view>> items;

  [[nodiscard]] std::optional<std::string_view> get(char name) const {
    for (const auto& [n, v] : items)
      if (n == name)
        return v;
    return std::nullopt;
  }
};

std::optional<attributes> parse_attributes(std::string_view message) {
  attributes out;
  while (!message.empty()) {
    const auto comma = message.find(',');
    const auto item = message.substr(0, comma);
    if (item.size() < 2 || item[1] != '=')
      return std::nullopt;
    out.items.emplace_back(item[0], item.substr(2));
    if (comma == std::string_view::npos)
      break;
    message.remove_prefix(comma + 1);
  }
  return out;
}

std::optional<std::uint32_t> parse_count(std::string_view text) {
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

// ---- the mechanism -------------------------------------------------------------

class scram final : public sasl_mechanism {
public:
  scram(std::string name, hash_function h, sasl_credentials c, std::string nonce)
      : name_(std::move(name)), hash_(h), credentials_(std::move(c)),
        client_nonce_(nonce.empty() ? random_nonce() : std::move(nonce)) {}

  std::string_view name() const override { return name_; }

  std::string initial_response() override {
    client_first_bare_ = "n=" + sasl_name(credentials_.username) + ",r=" + client_nonce_;
    step_ = step::sent_first;
    return std::string{gs2_header} + client_first_bare_;
  }

  std::variant<std::string, sasl_error> respond(std::string_view challenge) override {
    switch (step_) {
    case step::sent_first: return client_final(challenge);
    case step::sent_final:
      // Some servers send server-final-message as a challenge and an empty
      // <success/> after it (RFC 6120 §6.3.10 allows both).
      if (auto e = verify_server_final(challenge))
        return *e;
      return std::string{};
    default: return fail("unexpected challenge");
    }
  }

  std::optional<sasl_error> verify_success(std::string_view data) override {
    if (step_ == step::verified && data.empty())
      return std::nullopt;
    if (step_ != step::sent_final && step_ != step::verified)
      return sasl_error{name_ + ": success before the exchange was complete"};
    if (data.empty())
      return sasl_error{name_
                        + ": the server did not prove that it knows the password "
                          "(no server signature in <success/>)"};
    return verify_server_final(data);
  }

private:
  enum class step : std::uint8_t { initial, sent_first, sent_final, verified, failed };

  // No channel binding: "n,," (RFC 5802 §7, gs2-header); base64 "biws" in c=.
  static constexpr std::string_view gs2_header = "n,,";

  sasl_error fail(std::string_view why) {
    step_ = step::failed;
    return sasl_error{name_ + ": " + std::string{why}};
  }

  // server-first-message -> client-final-message (RFC 5802 §3).
  std::variant<std::string, sasl_error> client_final(std::string_view server_first) {
    const auto attrs = parse_attributes(server_first);
    if (!attrs || attrs->items.empty())
      return fail("malformed server-first-message '" + std::string{server_first} + "'");
    if (auto e = attrs->get('e'))
      return fail("server error: " + std::string{*e});
    if (attrs->items.front().first == 'm')
      return fail("the server requires an extension we do not know (m=)");
    const auto nonce = attrs->get('r');
    const auto salt_b64 = attrs->get('s');
    const auto count = attrs->get('i');
    if (attrs->items.front().first != 'r' || !nonce || !salt_b64 || !count)
      return fail("server-first-message lacks r=, s= or i=: '" + std::string{server_first} + "'");
    if (!nonce->starts_with(client_nonce_) || nonce->size() == client_nonce_.size())
      return fail("the server nonce does not extend ours");
    const auto salt = base64_decode(*salt_b64);
    if (!salt || salt->empty())
      return fail("the salt is not base64: '" + std::string{*salt_b64} + "'");
    const auto iterations = parse_count(*count);
    if (!iterations || *iterations == 0)
      return fail("bad iteration count '" + std::string{*count} + "'");
    if (*iterations > max_iterations)
      return fail("iteration count " + std::to_string(*iterations) + " above the limit of "
                  + std::to_string(max_iterations));

    const std::string without_proof = "c=biws,r=" + std::string{*nonce};
    const std::string auth_message =
      client_first_bare_ + "," + std::string{server_first} + "," + without_proof;
    const auto salted = salted_password(hash_, credentials_.password, *salt, *iterations);
    const auto key = bytes_of(salted, hash_.size);
    const auto client_key = hmac(hash_, key, "Client Key");
    const auto stored_key = hash(hash_, bytes_of(client_key, hash_.size));
    const auto client_signature = hmac(hash_, bytes_of(stored_key, hash_.size), auth_message);
    std::string proof(hash_.size, '\0');
    for (std::size_t i = 0; i < hash_.size; ++i)
      proof[i] = static_cast<char>(client_key[i] ^ client_signature[i]);
    const auto server_key = hmac(hash_, key, "Server Key");
    const auto signature = hmac(hash_, bytes_of(server_key, hash_.size), auth_message);
    server_signature_.assign(bytes_of(signature, hash_.size));

    step_ = step::sent_final;
    return without_proof + ",p=" + base64_encode(proof);
  }

  // server-final-message: "v=signature" or "e=error" (RFC 5802 §7).
  std::optional<sasl_error> verify_server_final(std::string_view server_final) {
    const auto attrs = parse_attributes(server_final);
    if (!attrs)
      return fail("malformed server-final-message '" + std::string{server_final} + "'");
    if (auto e = attrs->get('e'))
      return fail("server error: " + std::string{*e});
    const auto v = attrs->get('v');
    const auto signature = v ? base64_decode(*v) : std::nullopt;
    if (!signature)
      return fail("no server signature in '" + std::string{server_final} + "'");
    if (signature->size() != server_signature_.size()
        || CRYPTO_memcmp(signature->data(), server_signature_.data(), signature->size()) != 0)
      return fail("the server signature is wrong: the server does not know the password");
    step_ = step::verified;
    return std::nullopt;
  }

  std::string name_;
  hash_function hash_;
  sasl_credentials credentials_;
  std::string client_nonce_;
  std::string client_first_bare_;
  std::string server_signature_;
  step step_ = step::initial;
};

}  // namespace

std::unique_ptr<sasl_mechanism> make_scram(std::string_view name, sasl_credentials credentials,
                                           std::string client_nonce) {
  hash_function h{};
  if (name == "SCRAM-SHA-1")
    h = {EVP_sha1(), 20};
  else if (name == "SCRAM-SHA-256")
    h = {EVP_sha256(), 32};
  else if (name == "SCRAM-SHA-512")
    h = {EVP_sha512(), 64};
  else
    return nullptr;
  return std::make_unique<scram>(std::string{name}, h, std::move(credentials),
                                 std::move(client_nonce));
}

scram_cache_stats scram_cache_statistics() { return cache().stats(); }

void clear_scram_cache() { cache().clear(); }

}  // namespace amoc::xmpp::detail
