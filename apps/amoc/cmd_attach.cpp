// amoc attach: the console of a background node (`amoc start`), over its control socket.

#include <cstdio>

#include "amoc/error.hpp"
#include "commands.hpp"
#include "console/command.hpp"
#include "console/control_client.hpp"
#include "console/line_editor.hpp"
#include "console/paths.hpp"
#include "console/text.hpp"
#include "exit_codes.hpp"

namespace amoc::cli {

int cmd_attach(const arguments&) {
  auto client = console::control_client::connect(console::socket_path());
  if (!client)
    return fail("attach", client.error());
  auto& node = **client;
  const auto names = node.scenarios();
  console::line_editor editor{{"amoc> ", console::history_file().string(),
                               [&names](std::string_view before, std::string_view word) {
                                 return console::completions(before, word, names);
                               }}};
  std::optional<std::string> bye;
  editor.watch(node.fd(), [&] {
    const bool open = node.receive([&](const console::message& m) {
      if (m.kind == "bye")
        bye = m.text;
      else if (m.kind != "end")
        editor.print(m.text);
    });
    if (!open && !bye)
      bye = "the node went away";
    return !bye;
  });
  std::puts("attached to the amoc node: 'help' lists the commands; Ctrl+D detaches (users keep "
            "running); 'amoc stop' stops the node");
  std::fflush(stdout);
  const auto ending = editor.run([&](const std::string& line) {
    return console::trim(line).empty() || node.send("line", line);
  });
  if (ending == console::line_editor::ending::eof)
    std::puts("detached; the node keeps running");
  else if (bye && *bye != "detached")
    std::printf("%s\n", bye->c_str());
  return success;
}

}  // namespace amoc::cli
