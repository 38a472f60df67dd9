#include "amoc/settings.hpp"
#include "amoc/defaults.hpp"

namespace amoc {

run_settings run_settings::from(const config::store& store) {
  return {store.get<duration>("interarrival"), store.get<duration>("repeat_interval"),
          store.get<count>("repeat_num")};
}

const std::vector<config::variable>& builtin_variables() {
  namespace d = defaults::settings;
  static const std::vector<config::variable> vars{
    {"interarrival", "delay between two consecutive user spawns on a node",
     to_string(duration{d::interarrival}), config::type::duration, config::rules::non_negative(),
     config::update_policy::accept()},
    {"repeat_interval", "delay before a user runs the scenario again",
     to_string(duration{d::repeat_interval}), config::type::duration, config::rules::non_negative(),
     config::update_policy::accept()},
    {"repeat_num", "how many times each user runs the scenario (or infinity)", d::repeat_num,
     config::type::count, config::rules::positive(), config::update_policy::accept()},
    {"node_count",
     "worker nodes sharing the run (set by the master of a distributed run), so that "
     "cluster-wide rates can be divided",
     "1", config::type::integer, config::rules::positive()},
  };
  return vars;
}

}  // namespace amoc
