#pragma once

// Requests from the cluster controller to its nodes: one node (`ask`), or
// several at once whose answers are gathered (`ask_all`, `collector`).

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "amoc/error.hpp"
#include "cluster_controller.hpp"

namespace amoc::detail {

template <class T>
using replies = std::vector<std::pair<std::size_t, caf::expected<T>>>;

// Sends a request to node i; `on_reply` sees its answer, or `node_lost` if the
// node goes down first (CAF would leave the request waiting forever).
template <class T, class F, class... Ts>
void ask(cluster_state& st, std::size_t i, F on_reply, Ts... xs) {
  auto& n = st.nodes[i];
  const auto token = ++st.next_token;
  n.pending.emplace(token, [on_reply](caf::error err) { on_reply(caf::expected<T>{err}); });
  // True once: either the reply or the node's loss completes the request.
  auto take = [&st, i, token] { return st.nodes[i].pending.erase(token) > 0; };
  st.self->request(n.agent, caf::infinite, xs...)
    .then(
      [=](T& value) {
        if (take())
          on_reply(caf::expected<T>{std::move(value)});
      },
      [=](caf::error& err) {
        if (take())
          on_reply(caf::expected<T>{std::move(err)});
      });
}

// Gathers the answers of `total` nodes and calls `done` once with all of them;
// `collect(i)` is the reply handler for node i.
template <class T, class F>
auto collector(std::size_t total, F done) {
  struct shared {
    replies<T> answers;
    std::size_t total;
    F done;
  };
  auto acc = std::make_shared<shared>(shared{{}, total, std::move(done)});
  return [acc](std::size_t i) {
    return [acc, i](caf::expected<T> reply) {
      acc->answers.emplace_back(i, std::move(reply));
      if (acc->answers.size() == acc->total)
        acc->done(acc->answers);
    };
  };
}

// Asks every node in `which` the same and calls `done` once with all their answers.
template <class T, class F, class... Ts>
void ask_all(cluster_state& st, const std::vector<std::size_t>& which, F done, Ts... xs) {
  if (which.empty()) {
    replies<T> none;
    done(none);
    return;
  }
  auto collect = collector<T>(which.size(), std::move(done));
  for (auto i : which)
    ask<T>(st, i, collect(i), xs...);
}

// "node a: why; node b: why" for the failed replies, empty when all succeeded.
template <class T>
std::string failures(const cluster_state& st, const replies<T>& rs) {
  std::string text;
  for (const auto& [i, r] : rs)
    if (!r)
      text +=
        (text.empty() ? "node " : "; node ") + st.nodes[i].last.name + ": " + render(r.error());
  return text;
}

}  // namespace amoc::detail
