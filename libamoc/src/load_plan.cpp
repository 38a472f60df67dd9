#include "amoc/load_plan.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"

namespace amoc {

namespace {

using json = nlohmann::json;

caf::error problem(const std::string& origin, std::size_t index, const std::string& what) {
  return make_error(ec::bad_run_file,
                    origin + ": stage " + std::to_string(index + 1) + ": " + what);
}

std::optional<duration> positive_duration(const json& value) {
  auto parsed = config::convert_to(config::type::duration, value);
  if (!parsed || parsed->get<std::int64_t>() <= 0)
    return std::nullopt;
  return duration{parsed->get<std::int64_t>()};
}

caf::expected<load_stage> parse_stage(const json& s, const std::string& origin, std::size_t i) {
  if (!s.is_object())
    return problem(origin, i,
                   "must be {\"ramp_to\": N, \"over\": \"10s\"} or {\"hold\": \"5s\"}, got "
                     + s.dump());
  for (const auto& [key, _] : s.items())
    if (key != "ramp_to" && key != "over" && key != "hold")
      return problem(origin, i, "unknown key \"" + key + "\" (known: ramp_to, over, hold)");
  if (s.contains("hold")) {
    if (s.contains("ramp_to") || s.contains("over"))
      return problem(origin, i, "a stage is either a hold or a ramp, not both");
    auto span = positive_duration(s["hold"]);
    if (!span)
      return problem(
        origin, i, "\"hold\" must be a positive duration such as \"5s\", got " + s["hold"].dump());
    return load_stage{std::nullopt, *span};
  }
  if (!s.contains("ramp_to") || !s.contains("over"))
    return problem(origin, i, "a ramp needs \"ramp_to\" (users) and \"over\" (a duration)");
  const auto& to = s["ramp_to"];
  if (!to.is_number_integer() || to.get<std::int64_t>() < 0)
    return problem(origin, i, "\"ramp_to\" must be a number of users >= 0, got " + to.dump());
  auto span = positive_duration(s["over"]);
  if (!span)
    return problem(origin, i,
                   "\"over\" must be a positive duration such as \"10s\", got " + s["over"].dump());
  return load_stage{to.get<std::uint64_t>(), *span};
}

}  // namespace

caf::expected<load_plan> parse_stages(const json& stages, const std::string& origin) {
  if (!stages.is_array() || stages.empty())
    return make_error(ec::bad_run_file, origin
                                          + ": \"stages\" must be a non-empty list of "
                                            "{\"ramp_to\": N, \"over\": \"10s\"} or "
                                            "{\"hold\": \"5s\"}");
  load_plan plan;
  std::uint64_t users = 0;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    auto st = parse_stage(stages[i], origin, i);
    if (!st)
      return st.error();
    if (i == 0 && (!st->ramp_to || *st->ramp_to == 0))
      return problem(origin, i, "the first stage must start users (a ramp_to above 0)");
    if (st->ramp_to && *st->ramp_to == users)
      return problem(origin, i,
                     "ramp_to " + std::to_string(users)
                       + " changes nothing (the previous stage ends there); use "
                         "{\"hold\": ...}");
    if (st->ramp_to && *st->ramp_to == 0 && i + 1 < stages.size())
      return problem(origin, i,
                     "ramp_to 0 ends the run (no user is left); only the last stage may");
    if (st->ramp_to)
      users = *st->ramp_to;
    plan.stages.push_back(*st);
  }
  return plan;
}

duration load_plan::total() const {
  duration sum{};
  for (const auto& s : stages)
    sum += s.span;
  return sum;
}

std::uint64_t load_plan::ids_needed() const {
  std::uint64_t users = 0;
  std::uint64_t ids = 0;
  for (const auto& s : stages)
    if (s.ramp_to) {
      if (*s.ramp_to > users)
        ids += *s.ramp_to - users;
      users = *s.ramp_to;
    }
  return ids;
}

namespace {

// Ramp users k = 0..n-1 are due at `start + offset(k)`: offset(k) = span * (k + shift) / n
// rounded down (shift 0 for starts, 1 for stops). The first k' >= 0 due at or after
// `start + bound`, i.e. ceil(bound * n / span) - shift, in 128 bits: exact for any count.
std::uint64_t first_due_at_or_after(duration bound, duration span, std::uint64_t n,
                                    std::uint64_t shift) {
  const auto num = static_cast<unsigned __int128>(bound.count()) * n;
  const auto den = static_cast<unsigned __int128>(span.count());
  const auto ceil = (num + den - 1) / den;
  return ceil > shift ? static_cast<std::uint64_t>(std::min<unsigned __int128>(ceil - shift, n))
                      : 0;
}

duration offset_of(std::uint64_t k, duration span, std::uint64_t n, std::uint64_t shift) {
  return duration{
    static_cast<duration::rep>(static_cast<__int128>(span.count()) * (k + shift) / n)};
}

}  // namespace

// Steps within `resolution` of a step of the same sign merge into it. Whole
// groups of users are counted at once, so the work grows with the number of
// steps (at most one per resolution), never with the number of users.
std::vector<load_step> load_plan::steps(duration resolution) const {
  std::vector<load_step> out;
  duration start{};
  std::uint64_t users = 0;
  for (const auto& s : stages) {
    if (s.ramp_to && *s.ramp_to != users) {
      const bool up = *s.ramp_to > users;
      const auto n = up ? *s.ramp_to - users : users - *s.ramp_to;
      const std::uint64_t shift = up ? 0 : 1;
      for (std::uint64_t k = 0; k < n;) {
        const auto at = start + offset_of(k, s.span, n, shift);
        const bool joins =
          !out.empty() && at - out.back().at < resolution && (out.back().delta > 0) == up;
        if (!joins)
          out.push_back({at, 0});
        const auto bound = out.back().at + resolution - start;
        const auto end = std::max(k + 1, first_due_at_or_after(bound, s.span, n, shift));
        const auto group = static_cast<std::int64_t>(end - k);
        out.back().delta += up ? group : -group;
        k = end;
      }
      users = *s.ramp_to;
    }
    start += s.span;
  }
  return out;
}

}  // namespace amoc
