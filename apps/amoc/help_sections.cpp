// The prose of `amoc help` and the man page after the commands. The metrics
// settings come from their declarations, so a new one shows up by itself.

#include "amoc/config.hpp"
#include "amoc/metrics_settings.hpp"
#include "usage_text.hpp"

namespace amoc::cli {

namespace {

help_section rest_section() {
  return {"The --rest option",
          "`amoc console --rest` and `amoc start --rest` also serve the REST API and the live "
          "dashboard (as `amoc serve` does) beside the console, on the rest_port (4000) and "
          "rest_bind (127.0.0.1) settings. It drives the same runs the console's commands do: the "
          "distributed ones when worker nodes are configured (--nodes or the nodes setting), else "
          "the local node's. Mutating requests need 'Authorization: Bearer TOKEN' with the "
          "rest_token setting, or the token generated at start and printed once (in the log for "
          "`amoc start`). `amoc serve` is the same gateway without a console.",
          {}};
}

help_section metrics_section() {
  help_section s{
    "Metrics settings", "In the run file's \"settings\", the config file or AMOC_<name>:", {}};
  for (const auto& v : metrics_variables())
    s.entries.emplace_back(
      v.name, v.description + (v.default_text.empty() ? "" : " (default: " + v.default_text + ")"));
  return s;
}

}  // namespace

std::vector<help_section> help_sections() {
  return {
    rest_section(),
    {"Environment",
     "",
     {{"AMOC_<name>", "overrides any setting, e.g. AMOC_interarrival=10ms"},
      {"AMOC_PLUGIN_DIR", "plugins to load at start and build into (default: "
                          "$XDG_DATA_HOME/amoc/plugins, else ~/.local/share/amoc/plugins)"},
      {"AMOC_RUN_DIR", "the background node's pid, log and console socket (amoc start)"}}},
    metrics_section(),
    {"Settings",
     "'amoc help settings' lists every setting with its type, default and rule; 'amoc scenarios "
     "list' those of each scenario.",
     {}},
    {"Exit codes",
     "",
     {{"0", "success"},
      {"1", "the run failed"},
      {"2", "bad input: usage, run file or config (the message names the problem)"},
      {"3", "worker nodes were lost"},
      {"4", "users did not stop"},
      {"5", "scenario code crashed the process"},
      {"99", "thresholds crossed"},
      {"130", "interrupted"}}},
    {"Scenarios",
     "DIR defaults to ./scenarios; `run`, `check` and `scenarios list` load every plugin of the "
     "plugin folder first (see docs/scenarios.md).",
     {}},
    {"Examples",
     "",
     {{"amoc run configs/examples/dummy.json", ""},
      {"amoc check configs/examples/dummy.json", ""},
      {"amoc scenarios new my_test my_scenarios && amoc scenarios build my_scenarios", ""},
      {"AMOC_repeat_num=3 amoc run configs/examples/dummy.json --out result.json", ""},
      {"amoc run configs/examples/dummy.json --report report.html", ""},
      {"amoc node --listen 127.0.0.1:4100 --insecure", ""},
      {"amoc console --nodes 127.0.0.1:4100 --insecure", ""},
      {"amoc start --rest && amoc attach", ""},
      {"amoc serve --port 4000", "then open http://127.0.0.1:4000/"},
      {"source <(amoc completion bash)", ""}}},
  };
}

}  // namespace amoc::cli
