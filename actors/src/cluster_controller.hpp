#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "amoc/actors.hpp"
#include "amoc/id_range.hpp"
#include "amoc/metrics_snapshot.hpp"
#include "amoc/status.hpp"
#include "amoc/users_file.hpp"
#include "round_robin.hpp"

namespace amoc::config {
class store;
}

namespace amoc::links {
class link_service;
}

namespace amoc::detail {

/// The master of a distributed run (the `amoc_dist` equivalent): connects to
/// the worker nodes, spreads users over them round-robin by id, and answers
/// the same control messages as the local controller. It runs no users itself.
struct cluster_state {
  static inline const char* name = "amoc.cluster";

  struct node {
    std::string address;  // host:port from the config
    std::string host;
    std::uint16_t port = 0;
    node_agent_api agent;   // set while connected
    bool attached = false;  // the agent accepted us as its master
    bool connecting = false;
    bool in_run = false;        // runs (or ran) part of the current run
    bool idle = true;           // reported no users since it was last given some
    std::string lost;           // when its link went down in this run, while it is down
    std::string unreachable;    // why the last connection attempt failed
    std::string incident;       // what happened to it in this run (a crash it restarted after)
    node_status last;           // what it last said of its current connection's run
    metrics::snapshot metrics;  // its last metrics snapshot of that run
    // The run's books for earlier connections of this node: every user it had
    // when the link went down is booked as ended by node_lost, and what they
    // recorded still counts. A node that rejoins starts a new part, so its
    // losses stay booked.
    user_counts booked;
    metrics::snapshot booked_metrics;
    // Requests in flight, failed by hand when the node goes down (CAF does not).
    std::map<std::uint64_t, std::function<void(caf::error)>> pending;
  };

  explicit cluster_state(cluster_api::pointer self) : self(self) {}

  /// Reads the node addresses and dials every node; an error names a bad address.
  [[nodiscard]] caf::error init(config::store* store, std::shared_ptr<links::link_service> links,
                                std::vector<std::string> addresses);

  // The control requests (cluster_run.cpp): what the behaviour's handlers do.
  caf::result<caf::ok_atom> start_run(const std::string& scenario, std::uint64_t first,
                                      std::uint64_t last, const std::vector<std::string>& filter,
                                      const std::string& comment);
  caf::result<caf::ok_atom> add_users(std::uint64_t n, const std::vector<std::string>& filter);
  caf::result<std::uint64_t> remove_users(std::uint64_t n, bool force,
                                          const std::vector<std::string>& filter);
  caf::result<caf::ok_atom> stop_run(bool force);
  caf::result<caf::ok_atom> update_settings(const std::string& text,
                                            const std::vector<std::string>& filter);
  /// A node's agent says it has no users left.
  void on_idle(const caf::actor_addr& agent);
  caf::result<status> current_status();
  caf::result<status> wait_for_end();
  /// Every node's metrics merged.
  caf::result<metrics::snapshot> nodes_metrics();

  [[nodiscard]] caf::error require(std::initializer_list<run_state> allowed,
                                   const char* action) const;
  /// Node indexes by name or address; all up nodes of the run when empty.
  [[nodiscard]] caf::expected<std::vector<std::size_t>>
  choose(const std::vector<std::string>& names, bool in_run_only) const;
  /// The nodes that are up, and those of them that are in the run.
  [[nodiscard]] std::vector<std::size_t> up_nodes() const;
  [[nodiscard]] std::vector<std::size_t> up_in_run() const;
  [[nodiscard]] std::size_t find_agent(const caf::actor_addr& addr) const;
  [[nodiscard]] status snapshot() const;
  /// Node i's users in this run: its books plus its current part.
  [[nodiscard]] user_counts users_of(const node& n) const;
  /// Every node's metrics in this run, merged.
  [[nodiscard]] metrics::snapshot merged_metrics() const;
  void enter(run_state next);
  /// "12.3 s": the time since the current run started.
  [[nodiscard]] std::string since_run_start() const;

  // Links and membership (cluster_links.cpp).
  void connect(std::size_t i);
  /// Node i's link is up (`fd` is CAF's end): BASP shakes hands over it.
  void on_link(std::size_t i, int fd);
  void on_attached(std::size_t i, const std::string& name);
  void on_unreachable(std::size_t i, const caf::error& why);
  void on_down(std::size_t i);
  void join_late(std::size_t i);
  void check_finished();
  /// Keeps live-updated values for the next run and for nodes joining this one.
  void remember_settings(const nlohmann::json& values);
  /// Asks every node that is up for its status, then calls `then`.
  void refresh(std::function<void()> then);
  /// Asks each node that is up for its share of a removal (node index -> count);
  /// `rp` gets the total the nodes removed.
  void remove_shares(const std::map<std::size_t, std::uint64_t>& shares, bool force,
                     caf::typed_response_promise<std::uint64_t> rp);
  /// Keeps a plugin for nodes attaching later and ships it to those up now;
  /// answers per node name "ok" or why not.
  caf::result<node_outcomes> upload(const std::string& file_name, const std::string& bytes);
  /// Ships every kept plugin to node i, in upload order.
  void ship_plugins(std::size_t i);
  /// Tells the throttle authority which nodes of the run are up (they share the rates).
  void update_shaping(bool new_run);

  // The users file (cluster_users.cpp).
  /// Reads and checks the `users_file` setting's file, if any, for users first..last.
  [[nodiscard]] caf::error load_users(std::uint64_t first, std::uint64_t last);
  /// An error unless the users file (if any) has rows for users first..last.
  [[nodiscard]] caf::error check_users(std::uint64_t first, std::uint64_t last) const;
  /// Sends node i every user's username, ahead of its `run`.
  void ship_usernames(std::size_t i);
  /// Sends node i the rows of `ids`, ahead of its `run` (next_run) or `add`.
  void ship_rows(std::size_t i, id_range ids, bool next_run);

  cluster_api::pointer self;
  std::shared_ptr<links::link_service> links;
  caf::actor basp;  // CAF's BASP broker, which takes over each link's local end
  config::store* store = nullptr;
  std::vector<node> nodes;
  std::uint64_t next_token = 0;

  run_state state = run_state::idle;
  std::string scenario;
  std::string comment;
  std::string error;
  std::string settings;  // run-time settings as JSON, for every node of the run
  std::chrono::steady_clock::time_point run_started{};
  std::uint64_t first_id = 0;
  std::uint64_t next_id = 0;
  bool all_nodes = true;  // no `nodes` filter: late nodes join the run
  std::vector<placement_batch> batches;
  std::uint64_t removed_gracefully = 0;  // newest ids already asked to stop
  std::uint64_t removed_by_force = 0;
  bool finishing = false;
  std::vector<caf::response_promise> waiters;
  /// Uploaded plugins (file name, bytes), for nodes that attach later.
  std::vector<std::pair<std::string, std::string>> plugins;
  /// The run's users file, read once at its start; nullptr without one.
  std::shared_ptr<const users::file> users_file;
  // The run's throttle authority (shaping_actor.hpp): defines the throttles
  // for every node and re-splits the rates when nodes come or go.
  caf::actor shaping;
};

using cluster_actor = cluster_api::stateful_pointer<cluster_state>;

cluster_api::behavior_type cluster_controller(cluster_actor self, config::store* store,
                                              std::shared_ptr<links::link_service> links,
                                              std::vector<std::string> nodes);

}  // namespace amoc::detail
