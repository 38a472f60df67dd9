#include "amoc/xmpp/stream_framer.hpp"

#include <algorithm>

namespace amoc::xmpp {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

constexpr std::string_view cdata_open = "<![CDATA[";
constexpr std::string_view cdata_close = "]]>";

// The element name of a start or end tag starting at `tag` ("<name ..." or "</name>").
std::string_view tag_name(std::string_view tag) {
  tag.remove_prefix(tag.starts_with("</") ? 2 : 1);
  auto end = std::find_if(tag.begin(), tag.end(),
                          [](char c) { return is_space(c) || c == '>' || c == '/'; });
  return tag.substr(0, static_cast<std::size_t>(end - tag.begin()));
}

bool is_stream_element(std::string_view name) {
  return name == "stream:stream" || name == "stream";
}

}  // namespace

stream_framer::stream_framer(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

void stream_framer::feed(std::string_view bytes) {
  if (error_ != framer_error::none)
    return;
  compact();
  buffer_.append(bytes);
}

std::optional<frame> stream_framer::next() {
  if (error_ != framer_error::none)
    return std::nullopt;
  compact();
  return scan();
}

void stream_framer::reset() {
  buffer_.clear();
  buffer_.shrink_to_fit();
  consumed_ = pos_ = frame_start_ = tag_start_ = 0;
  depth_ = 0;
  stream_open_ = false;
  quote_ = 0;
  state_ = state::text;
  error_ = framer_error::none;
  message_.clear();
}

void stream_framer::compact() {
  if (consumed_ == 0)
    return;
  buffer_.erase(0, consumed_);
  pos_ -= consumed_;
  frame_start_ -= std::min(frame_start_, consumed_);
  tag_start_ -= std::min(tag_start_, consumed_);
  consumed_ = 0;
  // Everything handed out: an idle connection keeps no buffer (thousands of
  // them wait between stanzas; a fresh allocation per read costs far less).
  if (buffer_.empty()) {
    std::string{}.swap(buffer_);
    return;
  }
  // Give back what one large stanza made us allocate.
  if (buffer_.capacity() > 16 * 1024 && buffer_.size() < buffer_.capacity() / 4)
    buffer_.shrink_to_fit();
}

void stream_framer::fail(framer_error e, std::string message) {
  error_ = e;
  message_ = std::move(message);
}

void stream_framer::fail_too_large() {
  fail(framer_error::too_large,
       "a stanza exceeds the maximum of " + std::to_string(max_frame_bytes_) + " bytes");
}

std::optional<frame> stream_framer::emit(frame_kind kind, std::size_t end) {
  const auto start = kind == frame_kind::element ? frame_start_ : tag_start_;
  consumed_ = end;
  return frame{kind, std::string_view{buffer_}.substr(start, end - start)};
}

std::optional<frame> stream_framer::scan() {
  while (pos_ < buffer_.size() && error_ == framer_error::none) {
    const auto at = pos_;
    const char c = buffer_[pos_++];
    // Counted before the byte can complete a frame: no frame exceeds the maximum.
    if (pos_ - consumed_ > max_frame_bytes_) {
      fail_too_large();
      break;
    }
    std::optional<frame> result;
    switch (state_) {
    case state::text:
      if (c == '<') {
        tag_start_ = pos_ - 1;
        state_ = state::tag_start;
      } else if (depth_ <= 1) {
        // Between top-level elements only white space may appear
        // (keepalives); it is dropped at once so it never piles up.
        if (!is_space(c))
          fail(framer_error::malformed, "text outside of a stanza");
        consumed_ = pos_;
      }
      break;
    case state::tag_start: result = on_tag_start(c); break;
    case state::open_tag: result = on_open_tag(c); break;
    case state::close_tag: result = on_close_tag(c); break;
    case state::declaration:
      if (c == '>' && buffer_[pos_ - 2] == '?') {
        state_ = state::text;
        consumed_ = pos_;
      }
      break;
    case state::cdata:
      if (c == '>' && std::string_view{buffer_}.substr(0, pos_).ends_with(cdata_close))
        state_ = state::text;
      break;
    }
    if (result)
      return result;
    if (pos_ == at)
      return std::nullopt;  // a state stepped back to wait for more bytes
  }
  return std::nullopt;
}

std::optional<frame> stream_framer::on_tag_start(char c) {
  if (c == '/') {
    state_ = state::close_tag;
  } else if (c == '?') {
    // RFC 6120 §11.1: no processing instructions inside the stream.
    if (stream_open_)
      fail(framer_error::malformed, "processing instruction inside the stream");
    state_ = state::declaration;
  } else if (c == '!') {
    // The scan jumps over "<![CDATA[" (or waits for it): it must fit first.
    if (tag_start_ + cdata_open.size() - consumed_ > max_frame_bytes_) {
      fail_too_large();
      return std::nullopt;
    }
    const auto rest = std::string_view{buffer_}.substr(tag_start_);
    if (rest.size() < cdata_open.size() && cdata_open.starts_with(rest)) {
      --pos_;  // wait for the bytes that tell a CDATA section from a comment
      return std::nullopt;
    }
    if (depth_ < 2 || !rest.starts_with(cdata_open))
      fail(framer_error::malformed, "comments and DTDs are not allowed (RFC 6120 §11.1)");
    pos_ = tag_start_ + cdata_open.size();
    state_ = state::cdata;
  } else {
    if (depth_ == 1)
      frame_start_ = tag_start_;
    quote_ = 0;
    state_ = state::open_tag;
  }
  return std::nullopt;
}

std::optional<frame> stream_framer::on_open_tag(char c) {
  if (quote_) {
    if (c == quote_)
      quote_ = 0;
    return std::nullopt;
  }
  if (c == '"' || c == '\'') {
    quote_ = c;
    return std::nullopt;
  }
  if (c != '>')
    return std::nullopt;
  state_ = state::text;
  const bool self_closing = buffer_[pos_ - 2] == '/';
  if (depth_ == 0) {
    const auto tag = std::string_view{buffer_}.substr(tag_start_, pos_ - tag_start_);
    if (!is_stream_element(tag_name(tag)) || self_closing) {
      fail(framer_error::malformed, "expected a stream header, got " + std::string{tag});
      return std::nullopt;
    }
    depth_ = 1;
    stream_open_ = true;
    return emit(frame_kind::stream_open, pos_);
  }
  if (!self_closing)
    ++depth_;
  else if (depth_ == 1)
    return emit(frame_kind::element, pos_);
  return std::nullopt;
}

std::optional<frame> stream_framer::on_close_tag(char c) {
  if (c != '>')
    return std::nullopt;
  state_ = state::text;
  if (depth_ == 1) {
    const auto tag = std::string_view{buffer_}.substr(tag_start_, pos_ - tag_start_);
    if (!is_stream_element(tag_name(tag))) {
      fail(framer_error::malformed, "unexpected end tag " + std::string{tag});
      return std::nullopt;
    }
    depth_ = 0;
    stream_open_ = false;
    return emit(frame_kind::stream_close, pos_);
  }
  if (depth_ == 0) {
    fail(framer_error::malformed, "end tag before the stream header");
    return std::nullopt;
  }
  if (--depth_ == 1)
    return emit(frame_kind::element, pos_);
  return std::nullopt;
}

}  // namespace amoc::xmpp
