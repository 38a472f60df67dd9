#pragma once

/// How node links (master <-> worker nodes) are secured: mutual TLS with a
/// cluster CA (`scripts/cluster-certs`), or plain TCP for local experiments only.

#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "amoc/config.hpp"

namespace amoc {

/// Certificates for the mutual-TLS links between nodes, or an explicit opt-out.
struct link_security {
  std::string cert;       ///< this node's certificate (PEM)
  std::string key;        ///< its private key (PEM)
  std::string ca;         ///< the cluster CA that signed every node's certificate
  bool insecure = false;  ///< plain TCP: anyone who reaches the port controls the node

  /// From the settings `node_cert`, `node_key`, `node_ca` and `node_insecure`.
  [[nodiscard]] static link_security from(const config::store& store);

  /// Refuses certificate-less links unless insecure (CAF would silently fall
  /// back to anonymous ciphers) and names a file that cannot be read.
  [[nodiscard]] caf::error check() const;
};

/// The settings of distributed runs: `nodes`, `node_wait` and the link
/// security ones (`node_cert`, `node_key`, `node_ca`, `node_insecure`).
[[nodiscard]] const std::vector<config::variable>& node_link_variables();

}  // namespace amoc
