#include "rest_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

namespace amoc::test {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

beast::tcp_stream connected(asio::io_context& io, std::uint16_t port, beast::error_code& ec) {
  beast::tcp_stream stream{io};
  stream.expires_after(std::chrono::seconds{300});  // uploads compile for a while
  stream.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port}, ec);
  return stream;
}

}  // namespace

nlohmann::json http_reply::json() const {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  return doc.is_discarded() ? nlohmann::json{} : doc;
}

http_reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body, const std::string& token,
                     const std::string& content_type) {
  asio::io_context io;
  beast::error_code ec;
  auto stream = connected(io, port, ec);
  if (ec)
    return {};
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty())
    req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty())
    req.set(http::field::content_type, content_type);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req, ec);
  // A server may answer before it read the whole body (413): read anyway.
  ec = {};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  if (!ec)
    http::read(stream, buffer, parser, ec);
  if (ec)
    return {};
  auto& res = parser.get();
  return {res.result_int(), res.body(), std::string{res[http::field::content_type]},
          std::string{res[http::field::allow]}, std::string{res[http::field::www_authenticate]}};
}

std::string http_stream_until(std::uint16_t port, const std::string& target,
                              const std::string& marker, int seconds) {
  asio::io_context io;
  beast::error_code ec;
  auto stream = connected(io, port, ec);
  // Blocking reads ignore the stream's expiry: a socket timeout bounds each.
  timeval tv{1, 0};
  ::setsockopt(stream.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  if (!ec)
    asio::write(stream.socket(), asio::buffer(req), ec);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
  std::string got;
  char buf[4096];
  while (got.find(marker) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    beast::error_code read_ec;
    const auto n = stream.socket().read_some(asio::buffer(buf), read_ec);
    got.append(buf, n);
    if (read_ec && read_ec != asio::error::would_block && read_ec != asio::error::try_again)
      break;
  }
  return got;
}

raw_connection::raw_connection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

raw_connection::~raw_connection() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool raw_connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string raw_connection::read_until_closed(double seconds) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0)
      continue;
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

bool raw_connection::closed_within(double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0)
      continue;
    if (::recv(fd_, buf, sizeof buf, 0) <= 0)
      return true;
  }
  return false;
}

timed_reply timed_call(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body, const std::string& token) {
  const auto start = std::chrono::steady_clock::now();
  auto reply = http_call(port, method, target, body, token);
  return {std::move(reply),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

std::size_t rss_kib(pid_t pid) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmRSS:"))
      return std::stoul(line.substr(6));
  return 0;
}

serve_process::serve_process(std::vector<std::string> extra)
    : child_process([&] {
        std::vector<std::string> args{amoc_binary(), "serve", "--port", "0"};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
      }()) {
  const std::regex listening{"http://127\\.0\\.0\\.1:([0-9]+)/"};
  const std::regex token{"token ([0-9a-f]+)"};
  for (int i = 0; i < 200 && token_.empty(); ++i) {
    std::smatch m;
    auto text = log();
    if (std::regex_search(text, m, listening))
      port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
    if (std::regex_search(text, m, token))
      token_ = m[1];
    if (token_.empty())
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  EXPECT_NE(port_, 0) << "amoc serve did not start: " << log();
  EXPECT_FALSE(token_.empty()) << "amoc serve printed no token: " << log();
}

temp_dir::temp_dir() {
  char tmpl[] = "/tmp/amoc-rest-XXXXXX";
  path_ = ::mkdtemp(tmpl);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace amoc::test
