// caf_tls_check: a CAF 0.17 openssl middleman link with given PEM files, so that
// tests prove caf::openssl itself (not only the openssl CLI) accepts the certs
// made by scripts/cluster-certs and refuses foreign ones.
//   caf_tls_check server PORT CERT KEY CA   # publishes an "add one" actor on 127.0.0.1
//   caf_tls_check client PORT CERT KEY CA   # asks it 41, exits 0 on the answer 42
// Empty CERT, KEY and CA: CAF's unauthenticated fallback (anonymous ciphers).
#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: caf_tls_check server|client PORT CERT KEY CA\n";
    return 2;
  }
  const std::string mode = argv[1];
  const auto port = static_cast<uint16_t>(std::stoi(argv[2]));
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = argv[3];
  cfg.openssl_key = argv[4];
  cfg.openssl_cafile = argv[5];
  caf::actor_system sys{cfg};
  if (mode == "server") {
    auto adder = sys.spawn([]() -> caf::behavior { return {[](int x) { return x + 1; }}; });
    auto bound = caf::openssl::publish(adder, port, "127.0.0.1", true);
    if (!bound) {
      std::cerr << "publish failed: " << sys.render(bound.error()) << std::endl;
      return 1;
    }
    std::cout << "listening on " << *bound << std::endl;
    std::this_thread::sleep_for(std::chrono::seconds(60));  // the test kills it sooner
    caf::anon_send_exit(adder, caf::exit_reason::user_shutdown);
    return 0;
  }
  auto remote = caf::openssl::remote_actor(sys, "127.0.0.1", port);
  if (!remote) {
    std::cerr << "connect failed: " << sys.render(remote.error()) << std::endl;
    return 1;
  }
  caf::scoped_actor self{sys};
  int rc = 1;
  self->request(*remote, std::chrono::seconds(5), 41)
    .receive([&](int y) { std::cout << "reply " << y << std::endl; rc = y == 42 ? 0 : 1; },
             [&](caf::error& e) { std::cerr << "request failed: " << sys.render(e) << std::endl; });
  return rc;
}
