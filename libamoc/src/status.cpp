#include "amoc/status.hpp"

#include <ostream>

#include "amoc/id_range.hpp"

namespace amoc {

const char* to_string(run_state s) {
  switch (s) {
  case run_state::idle: return "idle";
  case run_state::running: return "running";
  case run_state::terminating: return "terminating";
  case run_state::finished: return "finished";
  case run_state::error: return "error";
  }
  return "unknown";
}

std::uint64_t& ended_counts::operator[](exit reason) noexcept {
  switch (reason) {
  case exit::normal: return normal;
  case exit::graceful_stop: return graceful_stop;
  case exit::forced_stop: return forced_stop;
  case exit::scenario_error: return scenario_error;
  case exit::node_lost: return node_lost;
  }
  return node_lost;  // not reached: every reason has its case
}

std::uint64_t ended_counts::operator[](exit reason) const noexcept {
  return const_cast<ended_counts&>(*this)[reason];
}

std::uint64_t ended_counts::total() const noexcept {
  return normal + graceful_stop + forced_stop + scenario_error + node_lost;
}

ended_counts& ended_counts::operator+=(const ended_counts& other) noexcept {
  for (auto reason : all_exit_reasons)
    (*this)[reason] += other[reason];
  return *this;
}

std::string to_string(const id_range& r) {
  if (r.empty())
    return "none";
  auto text = std::to_string(r.first) + ".." + std::to_string(r.last());
  return r.stride == 1 ? text : text + "/" + std::to_string(r.stride);
}

std::string to_string(const ended_counts& e) {
  std::string text;
  for (auto reason : all_exit_reasons)
    if (e[reason] != 0)
      text += (text.empty() ? "" : ", ") + std::string{to_string(reason)} + " "
              + std::to_string(e[reason]);
  return text.empty() ? "none" : text;
}

std::string to_string(const user_counts& u) {
  auto text = "users " + std::to_string(u.alive()) + " (running " + std::to_string(u.running)
              + ", waiting " + std::to_string(u.waiting) + ", stopping "
              + std::to_string(u.stopping) + "), pending " + std::to_string(u.pending)
              + ", started " + std::to_string(u.started) + ", ended "
              + std::to_string(u.ended_total());
  return u.ended_total() == 0 ? text : text + " (" + to_string(u.ended) + ")";
}

std::string to_string(const node_status& n) {
  auto text = n.name + " (" + n.address + "): " + (n.up ? "up" : "down") + ", " + to_string(n.state)
              + ", " + to_string(n.users);
  std::string ids;
  for (const auto& r : n.ids)
    if (!r.empty())
      ids += (ids.empty() ? "" : ", ") + to_string(r);
  if (!ids.empty())
    text += ", ids " + ids;
  if (!n.error.empty())
    text += "\n  " + n.error;
  return text;
}

std::string to_string(const status& st) {
  std::string text = to_string(st.state);
  if (st.state == run_state::idle)
    return text;
  text +=
    " " + st.scenario + ", " + to_string(st.users) + ", next id " + std::to_string(st.next_id);
  if (!st.comment.empty())
    text += ", comment \"" + st.comment + "\"";
  if (!st.error.empty())
    text += "\n  error: " + st.error;
  return text;
}

std::ostream& operator<<(std::ostream& out, run_state s) { return out << to_string(s); }
std::ostream& operator<<(std::ostream& out, const ended_counts& e) { return out << to_string(e); }
std::ostream& operator<<(std::ostream& out, const user_counts& u) { return out << to_string(u); }
std::ostream& operator<<(std::ostream& out, const node_status& n) { return out << to_string(n); }
std::ostream& operator<<(std::ostream& out, const status& st) { return out << to_string(st); }

}  // namespace amoc
