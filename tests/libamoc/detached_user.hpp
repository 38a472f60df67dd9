#pragma once

// A simulated user outside any run, for tests of what scenario code reads
// through amoc::user: its id, a config store and the users file's rows.

#include <stdexcept>

#include "amoc/config.hpp"
#include "amoc/user.hpp"
#include "amoc/users_file.hpp"

class detached_user final : public amoc::user {
public:
  detached_user(std::uint64_t id, const amoc::config::store& settings,
                const amoc::users::table* rows = nullptr)
      : user(id), settings_(settings), rows_(rows) {}
  amoc::metrics::registry& metrics() const override { throw std::logic_error("unused"); }
  std::uint32_t park(std::coroutine_handle<>, amoc::duration) override { return 0; }
  void wake(std::uint32_t) noexcept override {}
  amoc::io_pool& io() const override { throw std::logic_error("unused"); }

protected:
  void suspend_for(std::coroutine_handle<>, amoc::duration) override {}
  const amoc::config::store& settings() const override { return settings_; }
  const amoc::users::table* users_table() const override { return rows_; }

private:
  const amoc::config::store& settings_;
  const amoc::users::table* rows_;
};
