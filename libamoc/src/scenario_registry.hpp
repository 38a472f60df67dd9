#pragma once

// For the plugin loader: how registrations made while a plugin loads are held
// back, checked and then added all at once.

#include <string>
#include <vector>

#include <caf/error.hpp>

#include "amoc/scenario.hpp"

namespace amoc::detail {

/// While alive, `register_scenario` calls on this thread are collected here
/// instead of registered: a plugin's static initialisers run inside dlopen,
/// before the loader can check the plugin.
class registration_capture {
public:
  registration_capture();
  ~registration_capture();
  registration_capture(const registration_capture&) = delete;
  registration_capture& operator=(const registration_capture&) = delete;

  /// What was registered so far.
  [[nodiscard]] std::vector<scenario_info> take() { return std::move(captured_); }

private:
  friend bool amoc::register_scenario(scenario_info, std::string_view);
  std::vector<scenario_info> captured_;
  registration_capture* outer_;
};

/// Adds a plugin's scenarios, all or none, with `origin` (the plugin's file).
/// A name already taken is an error naming both origins, except that a plugin
/// built from the same source file as a built-in scenario replaces it (the
/// project's own scenarios, rebuilt as plugins without relinking amoc), and
/// that `replace` replaces whatever holds the name (uploads).
[[nodiscard]] caf::error add_plugin_scenarios(std::vector<scenario_info> infos,
                                              const std::string& origin, bool replace = false);

}  // namespace amoc::detail
