#include "amoc/link_security.hpp"

#include <fstream>

#include "amoc/config.hpp"
#include "amoc/error.hpp"

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
  for (const auto* file : {&cert, &key, &ca})
    if (!std::ifstream{*file})
      return make_error(ec::invalid_config, "cannot read " + *file);
  return {};
}

}  // namespace amoc
