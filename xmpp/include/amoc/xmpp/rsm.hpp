#pragma once

/// Result Set Management (XEP-0059): what a page of results says about
/// itself, read from the `<set xmlns='http://jabber.org/protocol/rsm'/>` that
/// ends a MAM query or a PubSub items result.
///
///   auto page = read_rsm_page(fin_element);  // page->last is where the next page starts

#include <cstdint>
#include <optional>
#include <string>

#include "amoc/xmpp/read_result.hpp"
#include <pugixml.hpp>

namespace amoc::xmpp {

/// The description of one page of results (XEP-0059 §2.6).
struct rsm_page {
  std::string first;                         ///< id of the page's first item, "" when empty
  std::string last;                          ///< id of the page's last item, "" when empty
  std::optional<std::uint64_t> first_index;  ///< `<first index='...'/>`, when given
  std::optional<std::uint64_t> count;        ///< items in the whole result set, when given
};

/// Reads the `<set/>` child of `parent`; an empty page when there is none (a
/// server may leave it out for an empty result). An error when a number is
/// not a number.
[[nodiscard]] read_result<rsm_page> read_rsm_page(pugi::xml_node parent);

}  // namespace amoc::xmpp
