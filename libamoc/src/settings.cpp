#include "amoc/settings.hpp"
#include "amoc/defaults.hpp"

#include <algorithm>
#include <chrono>
#include <string>

namespace amoc {

namespace {

constexpr std::int64_t max_node_threads = 1024;

}  // namespace

run_settings run_settings::from(const config::store& store) {
  return {node_interarrival(store), store.get<duration>("repeat_interval"),
          store.get<count>("repeat_num")};
}

duration node_interarrival(const config::store& store) {
  const auto rate = store.get<double>("user_rate", 0.0);
  if (rate <= 0)
    return store.get<duration>("interarrival");
  // Users per minute across the cluster: each of the nodes spawns its share.
  const auto nodes =
    static_cast<double>(std::max<std::int64_t>(1, store.get<std::int64_t>("node_count", 1)));
  const auto ns =
    std::chrono::duration<double, std::nano>(std::chrono::minutes{1}).count() * nodes / rate;
  return duration{static_cast<duration::rep>(ns)};
}

std::size_t node_threads(const config::store& store) {
  // Read before a run declares the built-in settings (a node starts first).
  const auto n = store.get<std::int64_t>("node_threads", 0);
  if (n < 0 || n > max_node_threads)
    throw config::error("node_threads", "must be between 0 and " + std::to_string(max_node_threads)
                                          + ", got " + std::to_string(n));
  return static_cast<std::size_t>(n);
}

const std::vector<config::variable>& builtin_variables() {
  namespace d = defaults::settings;
  static const std::vector<config::variable> vars{
    {"interarrival", "delay between two consecutive user spawns on a node",
     to_string(duration{d::interarrival}), config::type::duration, config::rules::non_negative(),
     config::update_policy::accept()},
    {"user_rate",
     "users started per minute across the cluster, instead of interarrival (0: use interarrival)",
     "0", config::type::number, config::rules::non_negative()},
    {"repeat_interval", "delay before a user runs the scenario again",
     to_string(duration{d::repeat_interval}), config::type::duration, config::rules::non_negative(),
     config::update_policy::accept()},
    {"repeat_num", "how many times each user runs the scenario (or infinity)", d::repeat_num,
     config::type::count, config::rules::positive(), config::update_policy::accept()},
    {"scenario_checking_interval",
     "how often the master asks the scenario's should_continue() whether to go on",
     to_string(duration{d::scenario_checking_interval}), config::type::duration,
     config::rules::positive()},
    {"add_batch_interval", "between two batches of users from the scenario's next_user_batch()",
     to_string(duration{d::add_batch_interval}), config::type::duration, config::rules::positive()},
    {"users_file",
     "CSV file of the users' accounts: a header naming the columns (username, password and any "
     "others, read with user::param), then row N for user N (unset: users are user_N)",
     "", config::type::string, std::nullopt, {}, true},
    {"node_threads",
     "worker threads of a node, which run its users and their sockets (0: one per core); "
     "read when the node starts. Fewer leave cores to a server or another tool on the "
     "same machine",
     "0", config::type::integer, config::rules::in_range(0, max_node_threads)},
    {"node_count",
     "worker nodes sharing the run (set by the master of a distributed run), so that "
     "cluster-wide rates can be divided",
     "1", config::type::integer, config::rules::positive()},
  };
  return vars;
}

}  // namespace amoc
