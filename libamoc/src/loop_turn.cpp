#include "amoc/loop_turn.hpp"

namespace amoc {

namespace {

thread_local int depth = 0;
thread_local loop_turn::flush_fn flush_held = nullptr;

}  // namespace

loop_turn::loop_turn() noexcept { ++depth; }

loop_turn::~loop_turn() {
  if (--depth == 0 && flush_held)
    flush_held();
}

bool loop_turn::active() noexcept { return depth > 0; }

void loop_turn::on_this_thread(flush_fn flush) noexcept { flush_held = flush; }

}  // namespace amoc
