#include "console/console_options.hpp"

#include <cstdio>

#include "console/text.hpp"

namespace amoc::console {

std::optional<console_options> parse_console_options(std::string_view command,
                                                     std::span<const std::string> args,
                                                     bool allow_foreground) {
  const auto usage = [&] {
    std::fprintf(stderr,
                 "usage: amoc %.*s [--config FILE] [--nodes HOST:PORT,...]%s\n"
                 "       [--cert FILE --key FILE --ca FILE | --insecure]\n",
                 static_cast<int>(command.size()), command.data(),
                 allow_foreground ? " [--foreground]" : "");
  };
  console_options opts;
  auto& sec = opts.dist.security;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--insecure" || (allow_foreground && arg == "--foreground")) {
      (arg == "--insecure" ? sec.insecure : opts.foreground) = true;
      continue;
    }
    const bool known =
      arg == "--config" || arg == "--nodes" || arg == "--cert" || arg == "--key" || arg == "--ca";
    if (!known) {
      std::fprintf(stderr, "amoc %.*s: unknown option %s\n", static_cast<int>(command.size()),
                   command.data(), arg.c_str());
      usage();
      return std::nullopt;
    }
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "amoc %.*s: %s needs a value\n", static_cast<int>(command.size()),
                   command.data(), arg.c_str());
      usage();
      return std::nullopt;
    }
    const auto& value = args[++i];
    if (arg == "--config")
      opts.config_file = value;
    else if (arg == "--nodes")
      opts.dist.nodes = split_list(value);
    else
      (arg == "--cert" ? sec.cert : arg == "--key" ? sec.key : sec.ca) = value;
  }
  opts.dist.security_given =
    sec.insecure || !sec.cert.empty() || !sec.key.empty() || !sec.ca.empty();
  return opts;
}

}  // namespace amoc::console
