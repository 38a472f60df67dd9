#include "amoc/xmpp/rsm.hpp"

#include <charconv>
#include <string_view>

#include "amoc/xmpp/namespaces.hpp"
#include "amoc/xmpp/stanza.hpp"

namespace amoc::xmpp {

namespace {

std::optional<std::uint64_t> to_number(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

}  // namespace

read_result<rsm_page> read_rsm_page(pugi::xml_node parent) {
  rsm_page page;
  const auto set = find_child(parent, "set", ns::rsm);
  if (!set)
    return page;
  const auto first = set.child("first");
  page.first = first.text().get();
  page.last = set.child("last").text().get();
  if (auto index = first.attribute("index")) {
    page.first_index = to_number(index.value());
    if (!page.first_index)
      return read_error{std::string{"RSM <first index='"} + index.value()
                        + "'/> is not a number (XEP-0059 §2.6)"};
  }
  if (auto count = set.child("count")) {
    page.count = to_number(count.text().get());
    if (!page.count)
      return read_error{std::string{"RSM <count>"} + count.text().get()
                        + "</count> is not a number (XEP-0059 §2.6)"};
  }
  return page;
}

}  // namespace amoc::xmpp
