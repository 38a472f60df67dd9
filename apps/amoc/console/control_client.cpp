#include "console/control_client.hpp"

#include <unistd.h>

#include "amoc/error.hpp"
#include "console/text.hpp"

namespace amoc::console {

caf::expected<std::unique_ptr<control_client>>
control_client::connect(const std::filesystem::path& path) {
  auto fd = connect_unix(path);
  if (!fd)
    return fd.error();
  std::unique_ptr<control_client> client{new control_client{*fd}};
  std::optional<message> hello;
  while (!hello) {
    if (!client->in_.fill())
      return make_error(ec::node_unavailable, "the node at " + path.string() + " hung up");
    hello = client->in_.next();
  }
  if (hello->kind == "bye")
    return make_error(ec::node_unavailable, "the node turned this console away: " + hello->text);
  client->scenarios_ = split_words(hello->text);
  // The node closes connections that do not answer its hello.
  if (!client->send("hello", ""))
    return make_error(ec::node_unavailable, "the node at " + path.string() + " hung up");
  return client;
}

control_client::~control_client() { ::close(fd_); }

bool control_client::receive(const std::function<void(const message&)>& on_message) {
  if (!in_.fill())
    return false;
  while (auto m = in_.next())
    on_message(*m);
  return true;
}

bool control_client::await_reply(const std::function<void(const message&)>& on_message) {
  for (;;) {
    while (auto m = in_.next()) {
      if (m->kind == "end")
        return true;
      on_message(*m);
    }
    if (!in_.fill())
      return false;
  }
}

}  // namespace amoc::console
