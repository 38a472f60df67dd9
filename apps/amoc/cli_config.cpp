#include "cli_config.hpp"

#include <filesystem>

#include "amoc/config_file.hpp"
#include "amoc/defaults.hpp"
#include "amoc/error.hpp"

namespace amoc::cli {

caf::error load_config(config::store& store, const std::optional<std::string>& path) {
  if (path)
    return config::load_file(store, *path);
  if (std::filesystem::exists(defaults::cli::config_file))
    return config::load_file(store, defaults::cli::config_file);
  return {};
}

caf::expected<runtime::options> master_options(const config::store& store,
                                               std::vector<std::string> nodes,
                                               const std::optional<link_security>& security) {
  runtime::options opts;
  opts.nodes = std::move(nodes);
  try {
    if (opts.nodes.empty())
      opts.nodes = store.get<std::vector<std::string>>("nodes", {});
  } catch (const config::error& e) {
    return make_error(ec::invalid_config, e.what());
  }
  if (opts.nodes.empty())
    return opts;
  opts.security = security ? *security : link_security::from(store);
  if (auto err = opts.security.check())
    return err;
  return opts;
}

}  // namespace amoc::cli
