// amoc::plugins::write_template: the scenario `amoc scenarios new` writes.

#include <algorithm>
#include <cctype>
#include <fstream>

#include "amoc/error.hpp"
#include "amoc/plugins.hpp"

namespace amoc::plugins {

namespace {

// Compiles and runs as is; tests/plugins/template_test.sh builds and runs it.
constexpr const char* template_text =
  R"(// NAME: a new amoc scenario (written by `amoc scenarios new`).
//
// Build it into a plugin, list it, run it:
//   amoc scenarios build DIR            (DIR: the folder holding this file)
//   amoc scenarios list
//   amoc run run.json                   ({"scenario": "NAME", "users": [1, 10]})
// The guide: docs/scenarios.md.

#include "amoc/scenario.hpp"

namespace {

using namespace std::chrono_literals;

class NAME final : public amoc::scenario {
public:
  // Once per run on each node, before any user starts: read the config and
  // create the metrics here. Throwing fails the run.
  void init() override {
    pause_ = config<amoc::duration>("NAME_pause");
    steps_ = config<std::int64_t>("NAME_steps");
    done_ = &metrics().counter("NAME.steps");
  }

  // Once per simulated user, repeated `repeat_num` times. A coroutine: each
  // `co_await` suspends this user only, never a thread.
  amoc::task<> start(amoc::user& u) override {
    for (std::int64_t i = 0; i < steps_; ++i) {
      // Graceful stop (end of `duration`, Ctrl-C): finish soon, cleanly.
      if (u.stopping())
        break;
      co_await u.sleep(pause_);
      done_->add();
    }
    u.debug() << "iteration " << u.iteration() << " done";
  }

private:
  // Shared by this node's users, which run on several threads: set in
  // init(), only read afterwards (or use atomics).
  amoc::duration pause_{};
  std::int64_t steps_ = 0;
  amoc::metrics::counter* done_ = nullptr;
};

}  // namespace

// The name `amoc run` knows it by, what `amoc scenarios list` says about it,
// and its config variables: name, description, default, type, rule. Set them
// in the run file's "settings", the config file, or as AMOC_<name>.
AMOC_REGISTER_SCENARIO(
  NAME, "NAME", "A new scenario: each user sleeps NAME_pause, NAME_steps times.",
  {{"NAME_pause", "pause between two steps", "100ms", amoc::config::type::duration,
    amoc::config::rules::non_negative()},
   {"NAME_steps", "steps per iteration", "3", amoc::config::type::integer,
    amoc::config::rules::non_negative()}});
)";

caf::error failure(const std::string& why) { return make_error(ec::invalid_argument, why); }

bool is_identifier(const std::string& name) {
  auto word = [](unsigned char c) { return std::isalnum(c) || c == '_'; };
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]))
         && std::all_of(name.begin(), name.end(), word);
}

std::string with_name(std::string text, const std::string& name) {
  constexpr std::string_view name_marker = "NAME";  // where the template says the scenario name
  for (auto at = text.find(name_marker); at != std::string::npos;
       at = text.find(name_marker, at + name.size()))
    text.replace(at, name_marker.size(), name);
  return text;
}

}  // namespace

caf::expected<fs::path> write_template(const std::string& name, const fs::path& dir) {
  if (!is_identifier(name))
    return failure("scenario name '" + name + "' is not a C++ identifier");
  const auto file = dir / (name + ".cpp");
  if (fs::exists(file))
    return failure(file.string() + " exists already");
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::ofstream out{file};
  out << with_name(template_text, name);
  if (!out)
    return failure("cannot write " + file.string());
  return file;
}

}  // namespace amoc::plugins
