#pragma once

#include <span>
#include <string>
#include <vector>

namespace amoc::cli {

/// `amoc run FILE [--config FILE] [--out FILE] [--report FILE]`.
int cmd_run(std::span<const std::string> args);

/// `amoc node --listen HOST:PORT (--cert F --key F --ca F | --insecure)`.
int cmd_node(std::span<const std::string> args);

}  // namespace amoc::cli
