#pragma once

#include <string>

namespace amoc::cli {

/// `amoc completion bash`: a bash completion function for amoc, generated
/// from the command table (commands, subcommands, each command's options,
/// files and folders where a value is one). Scenario and setting names come
/// from the binary at completion time (`amoc __complete scenarios|settings`),
/// so plugins built later complete too.
[[nodiscard]] std::string bash_completion_script();

}  // namespace amoc::cli
