#pragma once

/// Opening a listening TCP socket the one way amoc's servers do (REST, the
/// Prometheus exporter, node links): reuse the address, bind, listen.

#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/ip/tcp.hpp>

namespace amoc::net {

/// Opens `acceptor` on `where` with SO_REUSEADDR and starts listening; the
/// error of the step that failed, if any (the acceptor is then not open).
inline boost::system::error_code listen_on(boost::asio::ip::tcp::acceptor& acceptor,
                                           const boost::asio::ip::tcp::endpoint& where) {
  boost::system::error_code err;
  acceptor.open(where.protocol(), err);
  if (!err)
    acceptor.set_option(boost::asio::socket_base::reuse_address(true), err);
  if (!err)
    acceptor.bind(where, err);
  if (!err)
    acceptor.listen(boost::asio::socket_base::max_listen_connections, err);
  if (err) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
  }
  return err;
}

}  // namespace amoc::net
