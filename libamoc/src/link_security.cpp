#include "amoc/link_security.hpp"

#include "amoc/config.hpp"
#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"

namespace amoc {

link_security link_security::from(const config::store& store) {
  return {store.get<std::string>("node_cert", ""), store.get<std::string>("node_key", ""),
          store.get<std::string>("node_ca", ""), store.get<bool>("node_insecure", false)};
}

caf::error link_security::check() const {
  if (insecure)
    return {};
  if (cert.empty() || key.empty() || ca.empty())
    return make_error(ec::insecure_link,
                      "node links need node_cert, node_key and node_ca (PEM files made by "
                      "scripts/cluster-certs), or node_insecure / --insecure for a local "
                      "experiment");
  // Read here, so a directory, FIFO or missing file is named now, with the
  // reason, and not as a TLS failure of the first link.
  for (const auto* file : {&cert, &key, &ca})
    if (auto text = input::read_file(*file, ec::invalid_config); !text)
      return text.error();
  return {};
}

const std::vector<config::variable>& node_link_variables() {
  using config::type;
  const auto optional = [](std::string name, std::string description, type t) {
    return config::variable{std::move(name),
                            std::move(description),
                            "",
                            t,
                            std::nullopt,
                            config::update_policy::read_only(),
                            true};
  };
  static const std::vector<config::variable> vars{
    optional("nodes", "worker nodes (\"host:port\") a run is spread over (unset: a local run)",
             type::list),
    {"node_wait", "how long a master waits for its worker nodes before it starts on those up",
     to_string(duration{defaults::dist::node_wait}), type::duration, config::rules::positive()},
    optional("node_cert", "this node's certificate (PEM) for mutual TLS", type::string),
    optional("node_key", "its private key (PEM)", type::string),
    optional("node_ca", "the cluster CA that signed every node's certificate", type::string),
    {"node_insecure", "plain TCP node links, for local experiments only", "false", type::boolean,
     std::nullopt},
  };
  return vars;
}

}  // namespace amoc
