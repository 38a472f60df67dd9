#include "harness.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "amoc/error.hpp"
#include "amoc/scenario.hpp"

namespace amoc::test {

namespace {

user_body current_body = nullptr;

class http_test_scenario final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user& u) override { return current_body(u); }
};

AMOC_REGISTER_SCENARIO(http_test_scenario, "http_test", "runs the current test's body",
                       {http::config_variables()});

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::string server_dir() {
  return env_or("AMOC_HTTP_DIR", (env_or("TMPDIR", "/tmp") + "/amoc-http").c_str());
}

// `"text"` at `in`, moving past it.
std::string quoted(std::istringstream& in) {
  std::string word;
  in >> std::ws;
  if (in.peek() != '"') {
    in >> word;
    return word;
  }
  in.get();
  std::getline(in, word, '"');
  return word == "-" ? std::string{} : word;
}

std::vector<log_line> read_log() {
  std::vector<log_line> lines;
  std::ifstream file{server_dir() + "/access.log"};
  std::string text;
  while (std::getline(file, text)) {
    std::istringstream in{text};
    log_line l;
    std::string bytes;
    in >> l.connection >> l.connection_requests >> l.time_s >> l.method;
    l.uri = quoted(in);
    in >> l.status >> bytes;
    l.tag = quoted(in);
    l.sni = quoted(in);
    if (in)
      lines.push_back(std::move(l));
  }
  return lines;
}

}  // namespace

std::string http_base() { return "http://127.0.0.1:" + env_or("AMOC_HTTP_PORT", "18080"); }

std::string https_base(const std::string& host) {
  return "https://" + host + ":" + env_or("AMOC_HTTPS_PORT", "18443");
}

std::string server_certificate() { return server_dir() + "/cert.pem"; }

http_run::http_run(std::uint64_t users, user_body body, const nlohmann::json& settings)
    : rt_(amoc::runtime::options::local(&store_, 2)) {
  current_body = body;
  start("http_test", users, settings);
}

http_run::http_run(std::uint64_t users, const std::string& scenario, const nlohmann::json& settings)
    : rt_(amoc::runtime::options::local(&store_, 2)) {
  start(scenario, users, settings);
}

void http_run::start(const std::string& scenario, std::uint64_t users,
                     const nlohmann::json& settings) {
  store_.set("interarrival", 0);
  store_.set("repeat_num", 1);
  for (const auto& [key, value] : settings.items())
    store_.set(key, value);
  if (auto err = rt_.start(scenario, 1, users))
    ADD_FAILURE() << "start: " << render(err);
}

http_run::~http_run() { wait(); }

void http_run::wait(duration timeout) {
  if (std::exchange(waited_, true))
    return;
  auto st = rt_.wait(timeout);
  if (!st) {
    ADD_FAILURE() << "the users did not end: " << render(st.error());
    (void)rt_.stop(true);
    (void)rt_.wait(std::chrono::seconds{10});
  }
}

std::uint64_t http_run::counter(const std::string& name) {
  return rt_.metrics().counter(name).value();
}

std::uint64_t http_run::samples(const std::string& histogram) {
  return rt_.metrics().histogram(histogram).snapshot().count();
}

metrics::hdr_histogram http_run::histogram(const std::string& name) {
  return rt_.metrics().histogram(name).snapshot();
}

std::vector<log_line> logged(const std::string& tag, std::size_t expected,
                             const std::string& uri_part) {
  std::vector<log_line> matching;
  for (int i = 0; i < 100; ++i) {
    matching.clear();
    for (auto& l : read_log())
      if ((!tag.empty() && l.tag == tag)
          || (!uri_part.empty() && l.uri.find(uri_part) != std::string::npos))
        matching.push_back(std::move(l));
    if (matching.size() >= expected)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return matching;
}

std::string unique_tag(const std::string& what) {
  static int serial = 0;
  return what + "-" + std::to_string(::getpid()) + "-" + std::to_string(++serial);
}

}  // namespace amoc::test
