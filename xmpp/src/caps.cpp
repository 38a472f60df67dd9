#include "amoc/xmpp/caps.hpp"

#include <algorithm>
#include <array>

#include <openssl/evp.h>

#include "amoc/xmpp/namespaces.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "base64.hpp"
#include "builder_kit.hpp"

namespace amoc::xmpp {

namespace {

constexpr std::string_view caps_ns = "http://jabber.org/protocol/caps";

std::vector<std::string> sorted_features(const capabilities& caps) {
  auto features = caps.features;
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  return features;
}

}  // namespace

std::string capabilities::ver() const {
  // XEP-0115 §5.1: "category/type/lang/name<" then each feature and "<".
  std::string s = identity.category + "/" + identity.type + "//" + identity.name + "<";
  for (const auto& f : sorted_features(*this))
    (s += f) += '<';
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(s.data(), s.size(), digest.data(), &length, EVP_sha1(), nullptr);
  return detail::base64_encode(
    std::string_view{reinterpret_cast<const char*>(digest.data()), length});
}

namespace stanzas {

using namespace detail;

std::string caps_xml(const capabilities& caps) {
  xml_writer w{estimate(96, {caps.node})};
  w.open("c").attr("xmlns", caps_ns).attr("hash", "sha-1").attr("node", caps.node);
  return w.attr("ver", caps.ver()).end_empty().take();
}

stanza presence_with_caps(const capabilities& caps) {
  auto p = presence();
  add_child(p, caps_xml(caps));
  return p;
}

stanza disco_info_result(const stanza& request, const capabilities& caps) {
  xml_writer w{estimate(128 + 48 * caps.features.size(), {caps.node, caps.identity.name})};
  w.open("query")
    .attr("xmlns", ns::disco_info)
    .attr_if("node", request.child("query").attribute("node").value());
  w.end_open().open("identity").attr("category", caps.identity.category);
  w.attr("type", caps.identity.type).attr_if("name", caps.identity.name).end_empty();
  for (const auto& f : sorted_features(caps))
    w.open("feature").attr("var", f).end_empty();
  return iq_result(request, w.close("query").take());
}

}  // namespace stanzas

namespace is {

predicate disco_info_request() {
  return [](const stanza& s) {
    return s.name() == "iq" && s.type() == "get" && s.child("query", ns::disco_info);
  };
}

}  // namespace is

}  // namespace amoc::xmpp
