#include "request_text.hpp"

#include <gtest/gtest.h>

namespace amoc::http::detail {
namespace {

using net::parse_url;

const std::string agent = "amoc";

TEST(http_request_text, a_get_has_host_and_user_agent_and_no_length) {
  const request req{method::get, "http://h:8080/p?q", {}, {}, {}};
  EXPECT_EQ(serialize(req, *parse_url(req.url), {agent, true}),
            "GET /p?q HTTP/1.1\r\nHost: h:8080\r\nUser-Agent: amoc\r\n\r\n");
}

TEST(http_request_text, a_post_carries_its_headers_length_and_body) {
  request req{method::post, "http://h/p", {{"Content-Type", "text/plain"}}, "abc", {}};
  EXPECT_EQ(serialize(req, *parse_url(req.url), {agent, true}),
            "POST /p HTTP/1.1\r\nHost: h\r\nUser-Agent: amoc\r\nContent-Type: text/plain\r\n"
            "Content-Length: 3\r\n\r\nabc");
  req.body.clear();
  EXPECT_NE(serialize(req, *parse_url(req.url), {agent, true}).find("Content-Length: 0\r\n"),
            std::string::npos);
}

TEST(http_request_text, given_host_and_agent_win_and_close_is_announced) {
  const request req{method::del, "http://h/p", {{"host", "virtual"}, {"User-Agent", "x"}}, {}, {}};
  EXPECT_EQ(serialize(req, *parse_url(req.url), {agent, false}),
            "DELETE /p HTTP/1.1\r\nConnection: close\r\nhost: virtual\r\nUser-Agent: x\r\n\r\n");
}

}  // namespace
}  // namespace amoc::http::detail
