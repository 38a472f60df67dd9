#include "stray_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <random>

namespace amoc::test {

namespace {

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads (and drops) what the node sends until it closes: true, or false
// when `seconds` pass with the connection still open.
bool closed_within(int fd, int seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
  char buf[4096];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0)
      continue;
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      return true;
  }
  return false;
}

bool send_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

bool plain_peer_is_closed(std::uint16_t port, const std::string& bytes, int seconds) {
  const int fd = connect_to(port);
  if (fd < 0)
    return true;
  const bool closed = !send_all(fd, bytes) || closed_within(fd, seconds);
  ::close(fd);
  return closed;
}

bool tls_peer_is_closed(std::uint16_t port, const std::string& cert, const std::string& key,
                        const std::string& ca, const std::string& bytes, int seconds) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free};
  if (!cert.empty()) {
    SSL_CTX_use_certificate_chain_file(ctx.get(), cert.c_str());
    SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM);
  }
  if (!ca.empty())
    SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr);
  const int fd = connect_to(port);
  if (fd < 0)
    return true;
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl{SSL_new(ctx.get()), SSL_free};
  SSL_set_fd(ssl.get(), fd);
  ERR_clear_error();
  bool closed = SSL_connect(ssl.get()) != 1;
  if (!closed) {
    // TLS 1.3: a refused client certificate shows on the first read.
    ERR_clear_error();
    if (!bytes.empty())
      closed = SSL_write(ssl.get(), bytes.data(), static_cast<int>(bytes.size())) <= 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
    char buf[4096];
    while (!closed && std::chrono::steady_clock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (SSL_pending(ssl.get()) == 0 && ::poll(&p, 1, 100) <= 0)
        continue;
      ERR_clear_error();
      closed = SSL_read(ssl.get(), buf, sizeof buf) <= 0;
    }
  }
  ::close(fd);
  return closed;
}

void hit_and_run(std::uint16_t port, const std::string& bytes, int linger_ms) {
  const int fd = connect_to(port);
  if (fd < 0)
    return;
  if (send_all(fd, bytes)) {
    pollfd p{fd, POLLIN, 0};
    char buf[4096];
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds{linger_ms};
    while (std::chrono::steady_clock::now() < until && ::poll(&p, 1, 10) >= 0)
      if ((p.revents & POLLIN) && ::recv(fd, buf, sizeof buf, 0) <= 0)
        break;
  }
  ::close(fd);
}

std::string basp_header(std::uint8_t operation, std::uint32_t payload) {
  std::string h(32, '\0');
  h[0] = static_cast<char>(operation);
  for (int i = 0; i < 4; ++i)
    h[4 + i] = static_cast<char>((payload >> (24 - 8 * i)) & 0xff);
  return h;
}

std::string random_bytes(std::size_t n) {
  std::mt19937 gen{42};
  std::string bytes(n, '\0');
  for (auto& c : bytes)
    c = static_cast<char>(gen() & 0xff);
  return bytes;
}

}  // namespace amoc::test
