#include "cli_config.hpp"

#include <filesystem>

#include "amoc/config_file.hpp"
#include "amoc/defaults.hpp"

namespace amoc::cli {

caf::error load_config(config::store& store, const std::optional<std::string>& path) {
  if (path)
    return config::load_file(store, *path);
  if (std::filesystem::exists(defaults::cli::config_file))
    return config::load_file(store, defaults::cli::config_file);
  return {};
}

}  // namespace amoc::cli
