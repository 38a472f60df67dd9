#include "rest_option.hpp"

#include <cstdio>

namespace amoc::cli {

caf::expected<std::unique_ptr<rest_gateway>>
start_rest(std::string_view command, console::interpreter& interp, const config::store& store) {
  auto opts = rest_gateway::options::from(store);
  if (!opts)
    return opts.error();
  auto rt = interp.gateway_runtime();
  if (!rt)
    return rt.error();
  auto gateway = rest_gateway::start(**rt, *opts);
  if (!gateway)
    return gateway.error();
  const auto name = std::string{command};
  std::fprintf(stderr, "amoc %s: REST API and dashboard on http://%s:%u/ (%s runs)\n", name.c_str(),
               opts->bind.c_str(), static_cast<unsigned>((*gateway)->port()),
               (*rt)->distributed() ? "dist" : "local");
  if ((*gateway)->token_generated())
    std::fprintf(stderr, "amoc %s: REST token %s (set rest_token to choose one)\n", name.c_str(),
                 (*gateway)->token().c_str());
  std::fflush(stderr);
  return gateway;
}

}  // namespace amoc::cli
