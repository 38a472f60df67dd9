#include "amoc/xmpp/error.hpp"

namespace amoc::xmpp {

const char* to_string(phase p) noexcept {
  switch (p) {
  case phase::resolve: return "resolve";
  case phase::connect: return "connect";
  case phase::tls: return "tls";
  case phase::stream: return "stream";
  case phase::sasl: return "sasl";
  case phase::bind: return "bind";
  case phase::session: return "session";
  case phase::sm: return "sm";
  case phase::registration: return "registration";
  case phase::send: return "send";
  case phase::wait: return "wait";
  case phase::receive: return "receive";
  case phase::close: return "close";
  }
  return "unknown";
}

}  // namespace amoc::xmpp
