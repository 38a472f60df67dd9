// A scenario whose user `crash_user` crashes the process after a while, in the
// way crash_how says: "segv" (a null write), "abort" or "terminate" (an
// exception out of a noexcept function). The other users nap and count.
#include <sys/mman.h>

#include <cstdlib>
#include <exception>
#include <string>

#include "amoc/scenario.hpp"

namespace {

[[noreturn]] void crash(const std::string& how) {
  if (how == "abort")
    std::abort();
  if (how == "terminate")
    std::terminate();
  // A write to a page nobody may touch: a real segfault, and not undefined
  // behaviour the sanitizers would stop first (as a null pointer would be).
  void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *static_cast<volatile int*>(page) = 1;
  std::abort();
}

class crash_scenario final : public amoc::scenario {
public:
  void init() override {
    victim_ = config<std::int64_t>("crash_user");
    after_ = config<amoc::duration>("crash_after");
    how_ = config<std::string>("crash_how");
    naps_ = &metrics().counter("crash.naps");
  }
  amoc::task<> start(amoc::user& u) override {
    if (static_cast<std::int64_t>(u.id()) == victim_) {
      co_await u.sleep(after_);
      crash(how_);
    }
    co_await u.sleep(std::chrono::milliseconds{100});
    naps_->add();
  }

private:
  std::int64_t victim_ = 0;
  amoc::duration after_{};
  std::string how_;
  amoc::metrics::counter* naps_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(crash_scenario, "crash", "User crash_user crashes the process.",
                       {{"crash_user", "the id of the user that crashes", "3",
                         amoc::config::type::integer, amoc::config::rules::positive()},
                        {"crash_after", "how long it runs first", "1s",
                         amoc::config::type::duration, amoc::config::rules::positive()},
                        {"crash_how", "segv, abort or terminate", "segv",
                         amoc::config::type::string,
                         amoc::config::rules::one_of({"segv", "abort", "terminate"})}});
