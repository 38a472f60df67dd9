#include "console/status_text.hpp"

#include "amoc/error.hpp"

namespace amoc::console {

namespace {

std::string users_text(const user_counts& u) {
  auto text = "users " + std::to_string(u.alive()) + " (running " + std::to_string(u.running)
              + ", waiting " + std::to_string(u.waiting) + ", stopping "
              + std::to_string(u.stopping) + "), pending " + std::to_string(u.pending)
              + ", started " + std::to_string(u.started) + ", ended "
              + std::to_string(u.ended_total());
  std::string reasons;
  for (std::size_t i = 0; i < u.ended.size(); ++i)
    if (u.ended[i] != 0)
      reasons += std::string{reasons.empty() ? "" : ", "} + to_string(all_exit_reasons[i]) + " "
                 + std::to_string(u.ended[i]);
  return reasons.empty() ? text : text + " (" + reasons + ")";
}

}  // namespace

std::string describe(std::string_view label, const status& st) {
  auto text = std::string{label} + ": " + to_string(st.state);
  if (st.state == run_state::idle)
    return text;
  text +=
    " " + st.scenario + ", " + users_text(st.users) + ", next id " + std::to_string(st.next_id);
  if (!st.comment.empty())
    text += ", comment \"" + st.comment + "\"";
  if (!st.error.empty())
    text += "\n  error: " + st.error;
  return text;
}

std::string describe(const node_status& node) {
  auto text = "  node " + node.name + " (" + node.address + "): " + (node.up ? "up" : "down") + ", "
              + to_string(node.state) + ", " + users_text(node.users);
  std::string ids;
  for (const auto& r : node.ids)
    if (!r.empty())
      ids += (ids.empty() ? "" : ", ") + to_string(r);
  if (!ids.empty())
    text += ", ids " + ids;
  if (!node.error.empty())
    text += "\n    " + node.error;
  return text;
}

}  // namespace amoc::console
