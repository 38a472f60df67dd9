#include "client_namespace.hpp"

namespace amoc::xmpp::detail {

namespace {

std::string_view start_tag(std::string_view xml) {
  char quote = 0;
  for (std::size_t i = 0; i < xml.size(); ++i) {
    const char c = xml[i];
    if (quote)
      quote = c == quote ? 0 : quote;
    else if (c == '\'' || c == '"')
      quote = c;
    else if (c == '>')
      return xml.substr(0, i);
  }
  return xml;
}

}  // namespace

std::string with_client_namespace(std::string_view xml) {
  const bool stanza =
    xml.starts_with("<message") || xml.starts_with("<presence") || xml.starts_with("<iq");
  if (!stanza || start_tag(xml).find(" xmlns=") != xml.npos)
    return std::string{xml};
  const auto name_end = xml.find_first_of(" />");
  std::string out;
  out.reserve(xml.size() + 24);
  out.append(xml.substr(0, name_end)).append(" xmlns='jabber:client'").append(xml.substr(name_end));
  return out;
}

}  // namespace amoc::xmpp::detail
