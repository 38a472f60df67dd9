#include "sasl.hpp"
#include "amoc/xmpp/namespaces.hpp"

#include <algorithm>

#include "scram.hpp"

namespace amoc::xmpp::detail {

namespace {

// RFC 4616: one message, "authzid NUL authcid NUL passwd"; no authzid here.
class plain final : public sasl_mechanism {
public:
  explicit plain(sasl_credentials c) : credentials_(std::move(c)) {}

  std::string_view name() const override { return "PLAIN"; }

  std::string initial_response() override {
    std::string message;
    message.reserve(credentials_.username.size() + credentials_.password.size() + 2);
    ((message += '\0') += credentials_.username) += '\0';
    return message += credentials_.password;
  }

  std::variant<std::string, sasl_error> respond(std::string_view) override {
    return sasl_error{"PLAIN expects no challenge, the server sent one"};
  }

  std::optional<sasl_error> verify_success(std::string_view) override { return std::nullopt; }

private:
  sasl_credentials credentials_;
};

// RFC 4505: an optional trace token as the only message; we send none.
class anonymous final : public sasl_mechanism {
public:
  std::string_view name() const override { return "ANONYMOUS"; }
  std::string initial_response() override { return {}; }
  std::variant<std::string, sasl_error> respond(std::string_view) override {
    return sasl_error{"ANONYMOUS expects no challenge, the server sent one"};
  }
  std::optional<sasl_error> verify_success(std::string_view) override { return std::nullopt; }
};

}  // namespace

std::unique_ptr<sasl_mechanism> make_sasl(std::string_view name, sasl_credentials credentials,
                                          std::string client_nonce) {
  if (name == "PLAIN")
    return std::make_unique<plain>(std::move(credentials));
  if (name == "ANONYMOUS")
    return std::make_unique<anonymous>();
  return make_scram(name, std::move(credentials), std::move(client_nonce));
}

const std::vector<std::string>& supported_sasl_mechanisms() {
  static const std::vector<std::string> names = {"SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1",
                                                 "PLAIN", "ANONYMOUS"};
  return names;
}

std::optional<std::string> choose_mechanism(const std::vector<std::string>& offered,
                                            const std::vector<std::string>& preferred) {
  for (const auto& p : preferred)
    if (std::find(offered.begin(), offered.end(), p) != offered.end())
      return p;
  return std::nullopt;
}

std::vector<std::string> offered_mechanisms(const stanza& features) {
  std::vector<std::string> names;
  const auto mechanisms = features.child("mechanisms", ns::sasl);
  for (auto m : mechanisms.children("mechanism"))
    names.emplace_back(m.text().get());
  return names;
}

}  // namespace amoc::xmpp::detail
