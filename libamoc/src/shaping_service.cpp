#include "amoc/shaping_service.hpp"

#include <stdexcept>

namespace amoc::detail {

namespace {
// Set by the actors around each step of scenario code (init, start, terminate).
thread_local shaping_service* current_service = nullptr;
}  // namespace

shaping_service& shaping_service::current() {
  if (!current_service)
    throw std::logic_error("throttles and coordinators can only be used from scenario code "
                           "(init, start, terminate) of a running scenario");
  return *current_service;
}

shaping_service::scope::scope(shaping_service* service) noexcept : previous_(current_service) {
  current_service = service;
}

shaping_service::scope::~scope() { current_service = previous_; }

}  // namespace amoc::detail
