// amoc status / amoc stop: one request to the background node, no REPL.

#include <chrono>
#include <cstdio>
#include <thread>

#include "amoc/defaults.hpp"
#include "commands.hpp"
#include "console/control_client.hpp"
#include "console/paths.hpp"
#include "console/pid_file.hpp"
#include "console/text.hpp"
#include "exit_codes.hpp"

namespace amoc::cli {

namespace {

using namespace std::chrono_literals;

// Connects and sends one message; prints the reply. Nullptr (after saying why)
// when no node runs.
std::unique_ptr<console::control_client> request(const char* command, std::string_view kind,
                                                 std::string_view text) {
  auto client = console::control_client::connect(console::socket_path());
  if (!client) {
    (void)fail(command, client.error());
    return nullptr;
  }
  (*client)->send(kind, text);
  (*client)->await_reply([](const console::message& m) {
    if (m.kind == "out")
      std::printf("%s\n", m.text.c_str());
  });
  std::fflush(stdout);
  return std::move(*client);
}

}  // namespace

int cmd_status(const arguments&) {
  return request("status", "line", "status") ? success : run_failed;
}

int cmd_stop(const arguments&) {
  auto client = request("stop", "stop", "");
  if (!client)
    return run_failed;
  // The node closes the connection once its run stopped, then removes its files.
  while (client->receive([](const console::message&) {}))
    ;
  const auto deadline = std::chrono::steady_clock::now() + defaults::console::stop_timeout;
  while (console::pid_file::holder(console::pid_path()) != 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      std::fputs("amoc stop: the node did not exit in time\n", stderr);
      return run_failed;
    }
    std::this_thread::sleep_for(50ms);
  }
  std::puts("amoc node stopped");
  return success;
}

}  // namespace amoc::cli
