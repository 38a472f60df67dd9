// amoc::plugins::trial_load: a plugin's first load happens in a throwaway
// `amoc` process. Its static initialisers run inside dlopen, where nothing
// can contain them: one that throws terminates the process, one that crashes
// kills it. Better that process than a server holding a run.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <exception>
#include <memory>
#include <typeinfo>

#include "amoc/error.hpp"
#include "amoc/plugins.hpp"
#include "subprocess.hpp"

namespace amoc::plugins {

namespace {

// Starts the child's verdict, so that whatever the plugin itself prints
// cannot be mistaken for it.
constexpr std::string_view verdict = "amoc-trial-load: ";

[[noreturn]] void fail(const std::string& why) {
  std::printf("\n%.*serror %s\n", static_cast<int>(verdict.size()), verdict.data(), why.c_str());
  std::fflush(stdout);
  std::_Exit(1);
}

std::string exception_type() {
  const auto* type = abi::__cxa_current_exception_type();
  if (!type)
    return "an exception";
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> name{
    abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), &std::free};
  return status == 0 ? name.get() : type->name();
}

// An exception that leaves a static initialiser cannot be caught around
// dlopen: it ends in std::terminate, which says what was thrown.
void on_terminate() {
  std::string why = "it terminated the process (std::terminate)";
  if (auto e = std::current_exception()) {
    why = "a static initialiser threw " + exception_type();
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      why += ": " + std::string{x.what()};
    } catch (...) {
      // not a std::exception: its type is all there is to say
    }
  }
  fail(why);
}

// `amoc` itself: the running binary when it is amoc, else the one installed
// (or built) beside this library.
fs::path amoc_binary() {
  std::error_code ec;
  if (auto self = fs::read_symlink("/proc/self/exe", ec); !ec && self.filename() == "amoc")
    return self;
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&abi_tag), &info) && info.dli_fname) {
    const auto library = fs::canonical(info.dli_fname, ec);
    const auto installed =
      (library.parent_path() / AMOC_BIN_FROM_LIBDIR / "amoc").lexically_normal();
    if (!ec && fs::exists(installed, ec))
      return installed;
  }
  fs::path built = fs::path{AMOC_BUILD_BIN_DIR} / "amoc";
  return fs::exists(built, ec) ? built : fs::path{};
}

caf::error trial_failure(const fs::path& file, const std::string& why) {
  return make_error(ec::plugin_load_failed, file.filename().string() + ": " + why);
}

// The child's last verdict line, or "" when it printed none.
std::string verdict_of(const std::string& output) {
  const auto at = output.rfind(verdict);
  if (at == std::string::npos)
    return {};
  const auto end = output.find('\n', at);
  return output.substr(at + verdict.size(),
                       end == std::string::npos ? end : end - at - verdict.size());
}

std::string tail_of(const std::string& output) {
  constexpr std::size_t keep = 2000;
  return output.size() <= keep ? output : "..." + output.substr(output.size() - keep);
}

}  // namespace

void trial_load_main(const fs::path& file) {
  std::set_terminate(on_terminate);
  load_options opts;
  opts.replace = true;  // here, alone, it may shadow a built-in: the caller decides
  auto loaded = load(file, opts);
  if (!loaded)
    fail(context_of(loaded.error()));
  std::string names;
  for (const auto& n : loaded->scenarios)
    names += " " + n;
  std::printf("\n%.*sok%s\n", static_cast<int>(verdict.size()), verdict.data(), names.c_str());
  std::fflush(stdout);
  // Skips static destructors and atexit handlers: the plugin's may misbehave too,
  // and the verdict is out.
  std::_Exit(0);
}

caf::expected<std::vector<std::string>> trial_load(const fs::path& file,
                                                   std::chrono::milliseconds timeout) {
  const auto binary = amoc_binary();
  if (binary.empty())
    return trial_failure(file, "cannot load it in a child process first: no amoc binary found "
                               "(the running one, or one beside the amoc libraries)");
  auto result = detail::run_command({binary.string(), trial_command, file.string()}, timeout);
  if (result.timed_out)
    return trial_failure(file, "loading it did not finish within "
                                 + std::to_string(timeout.count() / 1000)
                                 + " s (a static initialiser that never returns?)");
  const auto line = verdict_of(result.output);
  if (result.signal != 0)
    return trial_failure(file, "loading it crashed the process (signal "
                                 + std::to_string(result.signal) + ", " + ::strsignal(result.signal)
                                 + ")");
  if (line.starts_with("ok") && result.status == 0) {
    std::vector<std::string> names;
    for (std::size_t at = line.find(' '); at != std::string::npos; at = line.find(' ', at + 1))
      names.push_back(line.substr(at + 1, line.find(' ', at + 1) - at - 1));
    return names;
  }
  if (line.starts_with("error "))
    return trial_failure(file, line.substr(6));
  return trial_failure(file, "loading it ended the process (exit status "
                               + std::to_string(result.status) + "): " + tail_of(result.output));
}

}  // namespace amoc::plugins
