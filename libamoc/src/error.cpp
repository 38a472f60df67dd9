#include "amoc/error.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>

namespace amoc {

namespace {

std::string render_category(const char* (*name)(std::uint8_t), std::uint8_t code,
                            const caf::message& context) {
  std::string result = name(code);
  if (!context.empty() && context.match_element<std::string>(0)
      && !context.get_as<std::string>(0).empty()) {
    result += ": ";
    result += context.get_as<std::string>(0);
  }
  return result;
}

const char* ec_name(std::uint8_t code) { return to_string(static_cast<ec>(code)); }

const char* exit_name(std::uint8_t code) { return to_string(static_cast<exit>(code)); }

}  // namespace

caf::error make_error(ec code, std::string context) {
  if (context.empty())
    return {static_cast<std::uint8_t>(code), ec_category};
  return {static_cast<std::uint8_t>(code), ec_category, caf::make_message(std::move(context))};
}

caf::error make_error(exit reason, std::string context) {
  // No context, no message: exit reasons are copied into every exit and down
  // message, a million times in a large forced stop.
  if (context.empty())
    return {static_cast<std::uint8_t>(reason), exit_category};
  return {static_cast<std::uint8_t>(reason), exit_category, caf::make_message(std::move(context))};
}

const char* to_string(ec code) {
  switch (code) {
  case ec::unspecified: return "unspecified";
  case ec::missing_config: return "missing_config";
  case ec::invalid_config: return "invalid_config";
  case ec::bad_config_file: return "bad_config_file";
  case ec::bad_run_file: return "bad_run_file";
  case ec::unknown_scenario: return "unknown_scenario";
  case ec::invalid_argument: return "invalid_argument";
  case ec::wrong_state: return "wrong_state";
  case ec::scenario_init_failed: return "scenario_init_failed";
  case ec::timeout: return "timeout";
  case ec::unknown_node: return "unknown_node";
  case ec::node_unavailable: return "node_unavailable";
  case ec::insecure_link: return "insecure_link";
  case ec::plugin_build_failed: return "plugin_build_failed";
  case ec::plugin_load_failed: return "plugin_load_failed";
  case ec::read_only_setting: return "read_only_setting";
  }
  return "unknown_error";
}

const char* to_string(exit reason) {
  switch (reason) {
  case exit::normal: return "normal";
  case exit::graceful_stop: return "graceful_stop";
  case exit::forced_stop: return "forced_stop";
  case exit::scenario_error: return "scenario_error";
  case exit::node_lost: return "node_lost";
  }
  return "unknown_exit";
}

exit exit_reason_of(const caf::error& err) {
  if (!err)
    return exit::normal;
  if (err.category() == exit_category)
    return static_cast<exit>(err.code());
  if (err == caf::exit_reason::kill || err == caf::exit_reason::user_shutdown)
    return exit::forced_stop;
  if (err == caf::exit_reason::remote_link_unreachable || err == caf::sec::remote_linking_failed)
    return exit::node_lost;
  return exit::scenario_error;
}

std::string context_of(const caf::error& err) {
  const auto& ctx = err.context();
  if (!ctx.empty() && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return {};
}

std::string render(const caf::error& err) {
  if (!err)
    return "none";
  if (err.category() == ec_category)
    return render_category(ec_name, err.code(), err.context());
  if (err.category() == exit_category)
    return render_category(exit_name, err.code(), err.context());
  return caf::to_string(err);
}

void add_error_categories(caf::actor_system_config& cfg) {
  cfg.add_error_category(ec_category,
                         [](std::uint8_t code, caf::atom_value, const caf::message& ctx) {
                           return render_category(ec_name, code, ctx);
                         });
  cfg.add_error_category(exit_category,
                         [](std::uint8_t code, caf::atom_value, const caf::message& ctx) {
                           return render_category(exit_name, code, ctx);
                         });
}

}  // namespace amoc
