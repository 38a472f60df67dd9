#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include "amoc/xmpp/client.hpp"
#include "connection.hpp"

namespace amoc::xmpp::detail {

/// A connection for the transport `opts` asks for, on `io`.
[[nodiscard]] std::shared_ptr<connection>
make_connection(const connection_settings& opts, boost::asio::io_context& io,
                xmpp_metrics& metrics);

/// Where `opts` connects to, from `source_address`: the same object for the
/// same answer (per thread), as the users of a run connect alike.
[[nodiscard]] std::shared_ptr<const endpoint_spec>
endpoint_for(const connection_settings& opts, const std::string& source_address);

}  // namespace amoc::xmpp::detail
