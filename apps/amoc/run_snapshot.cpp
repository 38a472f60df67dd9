#include "run_snapshot.hpp"

#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "amoc/error.hpp"
#include "amoc/result_json.hpp"
#include "exit_codes.hpp"
#include "summary.hpp"

namespace amoc::cli {

namespace {

// This thread's CPU time: what a keep costs the run. Wall time also counts
// the moments a busy machine did not run the thread, and put the next keep
// off for nothing (in a busy sanitizer test suite, past a crash at 1.5 s
// that the snapshot was meant to catch).
std::chrono::nanoseconds thread_cpu_time() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds{ts.tv_sec} + std::chrono::nanoseconds{ts.tv_nsec};
}

bool write_whole(const std::string& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << text;
  return static_cast<bool>(out);
}

// The crash in the result document: the users that were alive went down
// with the process, booked as node_lost (the node they ran on is gone).
void book_crash(nlohmann::json& doc, const crash::report& crash) {
  doc["state"] = "crashed";
  doc["error"] = "the run crashed: " + crash.describe();
  doc["crash"] = {{"signal", crash.signal},
                  {"description", crash.describe()},
                  {"scenario", crash.scenario},
                  {"user", crash.user}};
  auto& users = doc["users"];
  std::uint64_t ended = 0;
  for (const auto& [reason, n] : users["ended"].items())
    ended += n.get<std::uint64_t>();
  const auto started = users["started"].get<std::uint64_t>();
  const auto lost = started > ended ? started - ended : 0;
  users["ended"]["node_lost"] = users["ended"]["node_lost"].get<std::uint64_t>() + lost;
  users["ended_total"] = ended + lost;
}

}  // namespace

run_snapshot::run_snapshot() {
  const auto dir = std::filesystem::temp_directory_path().string();
  std::string name = dir + "/amoc-run-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    return;
  ::close(fd);
  path_ = name;
}

run_snapshot::~run_snapshot() {
  if (!path_.empty()) {
    std::remove(path_.c_str());
    std::remove((path_ + ".new").c_str());
  }
}

void run_snapshot::keep(const run_file& run, const run_result& so_far) const {
  using clock = std::chrono::steady_clock;
  const auto began = clock::now();
  if (path_.empty() || began < next_keep_)
    return;
  const auto cpu_began = thread_cpu_time();
  const nlohmann::json kept{{"summary", summary(run, so_far)}, {"result", to_json(run, so_far)}};
  // Whole or not at all: the guard reads it when the run may have died mid-write.
  if (write_whole(path_ + ".new", kept.dump()))
    std::rename((path_ + ".new").c_str(), path_.c_str());
  // A day's series makes a document of megabytes: rewriting it every second
  // would cost the run a core. 50 times the CPU it took keeps it under 2%.
  next_keep_ = began + 50 * (thread_cpu_time() - cpu_began);
}

int run_snapshot::report_crash(
  const crash::report& crash,
  const std::function<void(const nlohmann::json&)>& write_outputs) const {
  std::fprintf(stderr, "\namoc run: the run crashed: %s\n", crash.describe().c_str());
  std::ifstream in{path_, std::ios::binary};
  std::stringstream text;
  text << in.rdbuf();
  auto kept = nlohmann::json::parse(text.str(), nullptr, false);
  if (!kept.is_object() || !kept.contains("result")) {
    std::fprintf(stderr, "amoc run: it crashed before anything was measured\n");
    return crashed;
  }
  std::fprintf(stdout,
               "\nwhat was measured until the crash (users still running were lost "
               "with the process):\n%s",
               kept["summary"].get<std::string>().c_str());
  auto doc = kept["result"];
  book_crash(doc, crash);
  write_outputs(doc);
  return crashed;
}

}  // namespace amoc::cli
