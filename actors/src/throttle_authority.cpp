#include "throttle_authority.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "amoc/json_input.hpp"

namespace amoc::detail {

namespace {

using json = nlohmann::json;
using op_kind = throttle_op::kind;

constexpr const char* op_names[] = {"start",  "change", "gradually", "pause",
                                    "resume", "unlock", "stop"};
constexpr const char* limit_names[] = {"rate", "parallel", "unlimited"};

json limit_json(const throttle::limit& l) {
  return {{"type", limit_names[static_cast<int>(l.type)]},
          {"n", l.n},
          {"interval_ns", l.interval.count()}};
}

throttle::limit limit_from(const json& j) {
  throttle::limit l;
  const auto type = j.at("type").get<std::string>();
  for (int i = 0; i < 3; ++i)
    if (type == limit_names[i])
      l.type = static_cast<throttle::limit::kind>(i);
  l.n = j.at("n").get<double>();
  l.interval = duration{j.at("interval_ns").get<duration::rep>()};
  return l;
}

}  // namespace

std::string throttle_op::to_json() const {
  json j{{"op", op_names[static_cast<int>(what)]}, {"how", limit_json(how)}};
  if (what == op_kind::gradually) {
    j["to"] = limit_json(to);
    j["steps"] = plan.count;
    j["each_ns"] = plan.each.count();
  }
  return j.dump();
}

throttle_op throttle_op::from_json(const std::string& text) {
  // From another node: within amoc's limits.
  auto parsed = input::parse_json(text, ec::invalid_argument);
  if (!parsed)
    throw std::invalid_argument("bad throttle operation: " + context_of(parsed.error()));
  try {
    auto& j = *parsed;
    throttle_op op;
    const auto name = j.at("op").get<std::string>();
    bool known = false;
    for (int i = 0; i < 7; ++i)
      if (name == op_names[i]) {
        op.what = static_cast<op_kind>(i);
        known = true;
      }
    if (!known)
      throw std::invalid_argument("unknown throttle operation " + name);
    op.how = limit_from(j.at("how"));
    if (op.what == op_kind::gradually) {
      op.to = limit_from(j.at("to"));
      op.plan.count = j.at("steps").get<std::uint64_t>();
      op.plan.each = duration{j.at("each_ns").get<duration::rep>()};
    }
    return op;
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string{"bad throttle operation: "} + e.what());
  }
}

std::string spec_to_json(const std::optional<throttle_spec>& spec) {
  if (!spec)
    return "null";
  return json{
    {"how", limit_json(spec->how)}, {"paused", spec->paused}, {"unlocked", spec->unlocked}}
    .dump();
}

std::optional<throttle_spec> spec_from_json(const std::string& text) {
  auto parsed = input::parse_json(text, ec::invalid_argument);
  if (!parsed || !parsed->is_object())
    return std::nullopt;
  const auto& j = *parsed;
  return throttle_spec{limit_from(j.at("how")), j.value("paused", false),
                       j.value("unlocked", false)};
}

throttle_authority::effect throttle_authority::publish(const std::string& name) {
  effect out;
  auto it = specs_.find(name);
  out.publish.emplace_back(name, it == specs_.end() ? std::nullopt
                                                    : std::optional<throttle_spec>{it->second});
  return out;
}

throttle_authority::effect throttle_authority::apply(const std::string& name,
                                                     const throttle_op& op) {
  auto it = specs_.find(name);
  if (op.what == op_kind::start) {
    if (it == specs_.end())
      specs_.emplace(name, throttle_spec{op.how});
    return publish(name);
  }
  if (it == specs_.end())
    return {};  // nothing to change: the node that asked already threw
  auto& spec = it->second;
  // Any other change to the rate ends a gradual change in progress.
  auto replace_ramp = [&] {
    ramps_.erase(name);
    ++generations_[name];
  };
  switch (op.what) {
  case op_kind::change:
    replace_ramp();
    spec.how = op.how;
    spec.unlocked = false;
    return publish(name);
  case op_kind::gradually: {
    replace_ramp();
    spec.how = op.how;
    spec.unlocked = false;
    ramps_[name] = ramp{op.how, op.to, op.plan, 0};
    auto out = publish(name);
    out.step_after.emplace(op.plan.each, generations_[name]);
    return out;
  }
  case op_kind::pause: spec.paused = true; return publish(name);
  case op_kind::resume: spec.paused = false; return publish(name);
  case op_kind::unlock: spec.unlocked = true; return publish(name);
  case op_kind::stop:
    replace_ramp();
    specs_.erase(it);
    return publish(name);
  case op_kind::start: break;
  }
  return {};
}

throttle_authority::effect throttle_authority::step(const std::string& name,
                                                    std::uint64_t generation) {
  auto r = ramps_.find(name);
  auto s = specs_.find(name);
  if (r == ramps_.end() || s == specs_.end() || generations_[name] != generation)
    return {};
  auto& ramp = r->second;
  ++ramp.done;
  const auto fraction = static_cast<double>(ramp.done) / static_cast<double>(ramp.plan.count);
  s->second.how.n = ramp.from.n + (ramp.to.n - ramp.from.n) * fraction;
  auto out = publish(name);
  if (ramp.done < ramp.plan.count)
    out.step_after.emplace(ramp.plan.each, generation);
  else
    ramps_.erase(r);
  return out;
}

void throttle_authority::clear() {
  specs_.clear();
  // Generations stay: a step timer of a ramp before the clear finds no ramp,
  // and a new ramp of the same name has a newer generation.
  ramps_.clear();
}

}  // namespace amoc::detail
