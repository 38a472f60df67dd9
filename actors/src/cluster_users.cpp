// A distributed run's users file: the master reads and checks it once and
// ships each worker node the rows it needs (workers may not share the
// master's filesystem): every column of its own users, by the same
// round-robin as their ids, and the usernames of all users (a scenario
// addresses other users by id, e.g. a chat partner on another node).

#include <caf/event_based_actor.hpp>

#include "amoc/config.hpp"
#include "amoc/log.hpp"
#include "cluster_controller.hpp"

namespace amoc::detail {

namespace {

// Rows travel in messages of about this much text: far below the 64 MiB a
// link frame may carry (frame_guard.hpp), small enough that a node's agent
// handles one without holding up the rest of its mailbox for long.
constexpr std::size_t block_bytes = std::size_t{4} << 20;

}  // namespace

caf::error cluster_state::load_users(std::uint64_t first, std::uint64_t last) {
  users_file.reset();
  const auto path = store->get<std::string>("users_file", "");
  if (path.empty())
    return {};
  auto file = users::load(path, first);
  if (!file)
    return file.error();
  if (auto err = users::check_covers(path, file->rows, first, last))
    return err;
  log::line(log::level::info, "users_file ")
    << path << ": " << file->rows << " rows, columns " << file->header.size();
  users_file = std::make_shared<const users::file>(std::move(*file));
  return {};
}

caf::error cluster_state::check_users(std::uint64_t first, std::uint64_t last) const {
  return users_file ? users::check_covers(users_file->path, users_file->rows, first, last)
                    : caf::error{};
}

void cluster_state::ship_usernames(std::size_t i) {
  if (!users_file)
    return;
  const auto& agent = nodes[i].agent;
  bool sent = false;
  users::split(users_file->kept, users_file->kept.ids, {"username"}, block_bytes, [&](users::block b) {
    self->send(agent, atom::users_v, true, std::move(b));
    sent = true;
  });
  // Even with no rows to send, the node must learn that the run has a users file.
  if (!sent)
    self->send(agent, atom::users_v, true,
               users::block{users_file->path, users_file->header, {first_id, 0, 1}, {"username"}, {}, {}});
}

void cluster_state::ship_rows(std::size_t i, id_range ids, bool next_run) {
  if (!users_file || ids.empty())
    return;
  const auto& agent = nodes[i].agent;
  users::split(users_file->kept, ids, users_file->header, block_bytes,
               [&](users::block b) { self->send(agent, atom::users_v, next_run, std::move(b)); });
}

}  // namespace amoc::detail
