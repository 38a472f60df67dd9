#pragma once

/// A worker node of distributed runs (`amoc node`): it publishes its node
/// agent on the network and runs users only when a master tells it to.
///
///   amoc::worker_node::options opts;
///   opts.port = 4100;
///   opts.security = amoc::link_security::from(amoc::config::global());
///   auto node = amoc::worker_node::start(opts);   // caf::expected<std::unique_ptr<...>>
///   ... (*node)->port() ...

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/expected.hpp>

#include "amoc/config.hpp"
#include "amoc/link_security.hpp"
#include "amoc/metrics.hpp"
#include "amoc/status.hpp"

namespace amoc {

/// An `amoc node` inside this process: users run here, a master drives them.
class worker_node {
public:
  struct options {
    std::string host = "127.0.0.1";  ///< address to listen on; loopback unless told
    std::uint16_t port = 0;          ///< 0 picks a free port
    std::string name;                ///< shown by the master; defaults to host:port
    link_security security;
    config::store* store = nullptr;  ///< nullptr means `config::global()`
    std::size_t threads = 0;         ///< scheduler threads; 0 means one per core
  };

  /// Starts the node and publishes it; errors name the address or the certificate.
  [[nodiscard]] static caf::expected<std::unique_ptr<worker_node>> start(const options& opts);

  /// Stops this node's users by force and closes its links.
  ~worker_node();
  worker_node(const worker_node&) = delete;
  worker_node& operator=(const worker_node&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] const std::string& name() const noexcept;
  /// This node's own view: its run and its users.
  [[nodiscard]] caf::expected<node_status> status();

private:
  struct impl;
  explicit worker_node(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace amoc
