#include "amoc/worker_node.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "amoc/actors.hpp"
#include "amoc/error.hpp"
#include "amoc/link_service.hpp"

namespace amoc {

namespace {

struct worker_config : caf::actor_system_config {
  explicit worker_config(const worker_node::options& opts) {
    configure_node(*this, opts.threads);
    configure_links(*this);
  }
};

}  // namespace

struct worker_node::impl {
  impl(const options& opts, std::shared_ptr<links::link_service> l)
      : store(opts.store ? *opts.store : config::global()), links(std::move(l)), cfg(opts),
        sys(cfg) {}

  ~impl() {
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
    // The link thread hands connections to the actor system: it ends first.
    links->stop();
  }

  config::store& store;
  metrics::registry metrics;
  std::shared_ptr<links::link_service> links;
  worker_config cfg;
  caf::actor_system sys;
  node_agent_api agent;
  std::uint16_t port = 0;
  std::string name;
};

caf::expected<std::unique_ptr<worker_node>> worker_node::start(const options& opts) {
  auto links = links::link_service::start({opts.security});
  if (!links)
    return links.error();
  auto p = std::make_unique<impl>(opts, std::move(*links));
  const auto where = opts.host + ":" + std::to_string(opts.port);
  p->name = opts.name.empty() ? where : opts.name;
  p->agent = spawn_node_agent(p->sys, p->name, p->store, p->metrics);
  auto port = publish_agent(p->sys, *p->links, p->agent, opts.host, opts.port);
  if (!port)
    return port.error();
  p->port = *port;
  if (opts.name.empty() && opts.port == 0)
    p->name = opts.host + ":" + std::to_string(*port);
  return std::unique_ptr<worker_node>{new worker_node(std::move(p))};
}

worker_node::worker_node(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

worker_node::~worker_node() = default;

std::uint16_t worker_node::port() const noexcept { return impl_->port; }

const std::string& worker_node::name() const noexcept { return impl_->name; }

caf::expected<node_status> worker_node::status() {
  caf::scoped_actor self{impl_->sys};
  caf::expected<node_status> result{caf::error{}};
  self->request(impl_->agent, std::chrono::seconds{30}, atom::status_v)
    .receive([&](node_status& st) { result = std::move(st); },
             [&](caf::error& err) { result = std::move(err); });
  return result;
}

}  // namespace amoc
