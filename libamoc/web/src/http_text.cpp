#include "http_text.hpp"

#include <cctype>

namespace amoc::web {

namespace {

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace

std::string_view request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name)
      return value;
  return {};
}

std::optional<std::string_view> request::query_param(std::string_view name) const {
  std::string_view rest{query};
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
  }
  return std::nullopt;
}

std::string_view reason(unsigned status) {
  const auto text = detail::http::obsolete_reason(static_cast<detail::http::status>(status));
  return {text.data(), text.size()};
}

std::string error_json(std::string_view what) {
  std::string text = R"({"error":")";
  for (char c : what)
    if (c == '"' || c == '\\')
      text += '\'';
    else if (static_cast<unsigned char>(c) >= 0x20)
      text += c;
  return text + "\"}\n";
}

namespace detail {

request request_of(const http::request_header<>& head) {
  request r;
  r.method = std::string{head.method_string()};
  const std::string_view target{head.target().data(), head.target().size()};
  const auto q = target.find('?');
  r.path = percent_decoded(target.substr(0, q));
  if (q != std::string_view::npos)
    r.query = std::string{target.substr(q + 1)};
  for (const auto& field : head)
    r.headers.emplace_back(lower({field.name_string().data(), field.name_string().size()}),
                           std::string{field.value()});
  return r;
}

http::response<http::string_body> message_of(const response& res, bool keep_alive, bool head_only) {
  http::response<http::string_body> out{static_cast<http::status>(res.status), 11};
  out.set(http::field::server, "amoc");
  out.set(http::field::content_type, res.content_type);
  for (const auto& [name, value] : res.headers)
    out.set(name, value);
  out.keep_alive(keep_alive);
  if (head_only) {
    out.content_length(res.body.size());
  } else {
    out.body() = res.body;
    out.prepare_payload();
  }
  return out;
}

std::string stream_head(const response& res) {
  std::string head = "HTTP/1.1 " + std::to_string(res.status) + " "
                     + std::string{reason(res.status)} + "\r\nServer: amoc\r\nContent-Type: "
                     + res.content_type + "\r\nCache-Control: no-cache\r\nConnection: close\r\n";
  for (const auto& [name, value] : res.headers)
    head += name + ": " + value + "\r\n";
  return head + "\r\n";
}

response plain_error(unsigned status, std::string_view what) {
  return {status, "application/json", error_json(what)};
}

}  // namespace detail

}  // namespace amoc::web
