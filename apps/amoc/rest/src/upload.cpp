// PUT /scenarios/upload: C++ scenario source in, compiled against this amoc
// into a plugin, loaded here and on every worker node.

#include <cstdint>
#include <fstream>
#include <sstream>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/plugins.hpp"
#include "amoc/scenario.hpp"
#include "context.hpp"

namespace amoc::rest {

namespace {

namespace fs = std::filesystem;

// Named after its content: the same source is built once, and a changed
// source gets a new file (dlopen would hand back the old one for the old name).
std::string plugin_name(std::string_view source) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : source) {
    h ^= c;
    h *= 1099511628211ull;
  }
  std::ostringstream name;
  name << "upload_" << std::hex << h;
  return name.str();
}

caf::error write_file(const fs::path& file, std::string_view text) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  std::ofstream out{file, std::ios::binary | std::ios::trunc};
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out)
    return make_error(ec::plugin_build_failed, file.string() + ": cannot write");
  return {};
}

caf::expected<std::string> read_file(const fs::path& file) {
  std::ifstream in{file, std::ios::binary};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in)
    return make_error(ec::plugin_load_failed, file.string() + ": cannot read");
  return bytes.str();
}

// Compiles the source in a folder of its own; the plugin's path on success.
caf::expected<fs::path> compile(const fs::path& dir, const std::string& name,
                                const std::string& source, std::chrono::seconds timeout) {
  const auto built = dir / ".build" / (name + ".so");
  std::error_code ec;
  if (fs::exists(built, ec))
    return built;
  const auto src = dir / ".src" / name;
  if (auto err = write_file(src / (name + ".cpp"), source))
    return err;
  auto result = plugins::build(src, dir / ".build", timeout);
  if (!result)
    return result.error();
  return built;
}

// A scenario may not be replaced while it runs: its users hold its code.
caf::error not_running(context& ctx, const std::vector<std::string>& names) {
  auto st = ctx.rt.status();
  if (!st || (st->state != run_state::running && st->state != run_state::terminating))
    return {};
  for (const auto& name : names)
    if (name == st->scenario)
      return make_error(ec::wrong_state, "scenario '" + name + "' is " + to_string(st->state)
                                           + ": stop the run before replacing it");
  return {};
}

// An upload replaces an earlier upload of the same scenario freely; a
// scenario of amoc or of the plugin folder only when the request says so.
caf::error no_clash(const fs::path& dir, const std::vector<std::string>& names) {
  const auto uploads = (dir / "x").parent_path();  // as `install` names its files
  for (const auto& name : names) {
    const auto* old = find_scenario(name);
    if (!old || fs::path{old->origin}.parent_path() == uploads)
      continue;
    const auto owner = old->source.empty() ? old->origin : old->origin + " (" + old->source + ")";
    return make_error(ec::wrong_state, "scenario '" + name + "' is already registered by " + owner
                                         + ": upload with ?replace=true to replace it");
  }
  return {};
}

// The query's `replace`: absent, "true" or "false".
caf::expected<bool> replace_flag(const web::request& req) {
  const auto value = req.query_param("replace");
  if (!value || *value == "false")
    return false;
  if (*value == "true" || value->empty())
    return true;
  return make_error(ec::invalid_argument,
                    "'replace' must be true or false, got '" + std::string{*value} + "'");
}

}  // namespace

web::response put_upload(context& ctx, web::request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos)
    return error_response(400, "the body is empty: send the scenario's C++ source");
  const auto replace = replace_flag(req);
  if (!replace)
    return error_response(ctx, replace.error());
  // A compile takes seconds to minutes: a second upload does not wait for it
  // on a worker thread that other requests need.
  std::unique_lock guard{ctx.upload_mutex, std::try_to_lock};
  if (!guard.owns_lock()) {
    auto res = error_response(503, "another upload is being built; retry when it is done");
    res.headers.emplace_back("Retry-After", "5");
    return res;
  }
  const auto dir = ctx.opts.upload_dir.empty() ? plugins::upload_dir() : ctx.opts.upload_dir;
  const auto name = plugin_name(req.body);
  auto built = compile(dir, name, req.body, ctx.opts.compile_timeout);
  if (!built)
    return error_response(400, context_of(built.error()), {{"compile", "error"}});
  auto names = plugins::trial_load(*built, defaults::rest::trial_load_timeout);
  if (!names)
    return error_response(400, context_of(names.error()), {{"compile", "ok"}, {"load", "error"}});
  if (auto err = *replace ? caf::error{} : no_clash(dir, *names))
    return error_response(409, context_of(err), {{"compile", "ok"}, {"scenarios", *names}});
  auto bytes = read_file(*built);
  if (!bytes)
    return error_response(ctx, bytes.error());
  plugins::load_options check;
  check.check = [&ctx](const std::vector<std::string>& names) { return not_running(ctx, names); };
  auto loaded = plugins::install(name + ".so", *bytes, dir, check);
  if (!loaded) {
    if (loaded.error() == make_error(ec::wrong_state))
      return error_response(ctx, loaded.error());
    return error_response(400, render(loaded.error()), {{"compile", "ok"}});
  }
  auto shared = ctx.rt.share_plugin(name + ".so", *bytes);
  if (!shared)
    return error_response(ctx, shared.error());
  auto nodes = json::object();
  for (const auto& [node, outcome] : *shared)
    nodes[node] = outcome;
  return json_response(200, {{"compile", "ok"},
                             {"scenarios", loaded->scenarios},
                             {"file", name + ".so"},
                             {"nodes", nodes}});
}

}  // namespace amoc::rest
