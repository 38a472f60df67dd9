#pragma once

/// Connecting from several local addresses: each has its own ~28k ephemeral
/// ports towards one server port, so one node can open more connections than
/// one address allows. Shared by the XMPP and HTTP clients.

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

namespace amoc {

/// The address user `id` connects from: users spread over `sources` by id;
/// empty (any) when there are none.
[[nodiscard]] inline std::string pick_source_address(const std::vector<std::string>& sources,
                                                     std::uint64_t id) {
  return sources.empty() ? std::string{} : sources[id % sources.size()];
}

/// Opens `socket` for `protocol` and binds it to `source` (if not empty).
inline boost::system::error_code open_from(boost::asio::ip::tcp::socket& socket,
                                           const boost::asio::ip::tcp& protocol,
                                           const std::string& source) {
  boost::system::error_code ec;
  socket.open(protocol, ec);
  if (ec || source.empty())
    return ec;
  const auto address = boost::asio::ip::make_address(source, ec);
  if (!ec)
    socket.bind({address, 0}, ec);
  return ec;
}

}  // namespace amoc
