// The framer's scan: a state machine over the bytes, one call per byte that
// is not part of a run of plain text, attribute value or name (those are
// skipped in a tight loop). Buffering and errors: stream_framer_buffer.cpp.

#include "amoc/xmpp/stream_framer.hpp"

#include <algorithm>

#include "xml_chars.hpp"

namespace amoc::xmpp {

namespace {

using detail::char_class;
using detail::is;

constexpr std::string_view cdata_open = "<![CDATA[";
constexpr std::string_view cdata_close = "]]>";
static_assert(detail::max_reference_size == 12, "the size of stream_framer::reference_");

bool is_stream_element(std::string_view name) {
  return name == "stream:stream" || name == "stream";
}

std::string describe(char c) { return "'" + detail::printable({&c, 1}) + "'"; }

}  // namespace

inline std::optional<frame> stream_framer::emit(frame_kind kind, std::size_t end) {
  const auto start = kind == frame_kind::element ? frame_start_ : tag_start_;
  consumed_ = end;
  return frame{kind, std::string_view{buffer_}.substr(start, end - start)};
}

// The hot path: runs of bytes that change no state (character data,
// attribute values, names) are passed over in a tight loop, text and values
// 16 bytes at a time first. ASCII only, so UTF-8 needs no check; the byte
// that ends a run takes the slow path.
[[gnu::always_inline]] inline void stream_framer::skip_plain_bytes() {
  std::uint8_t plain = 0;
  switch (state_) {
  case state::text: plain = depth_ >= 2 ? detail::plain_text : 0; break;
  case state::attribute_value: plain = detail::plain_value; break;
  case state::start_name:
  case state::attribute_name:
  case state::end_name: plain = detail::ascii_name; break;
  default: return;
  }
  if (plain == 0 || utf8_need_ != 0)
    return;
  const auto end = std::min(buffer_.size(), consumed_ + max_frame_bytes_);
  const char* data = buffer_.data();
  auto p = pos_;
  if (plain != detail::ascii_name)
    p = detail::skip_plain_blocks(data, p, end, plain == detail::plain_value);
  while (p < end && (detail::char_classes[static_cast<unsigned char>(data[p])] & plain) != 0)
    ++p;
  pos_ = p;
}

[[gnu::always_inline]] inline bool stream_framer::check_byte(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (is(c, detail::not_xml_char)) {
    fail_malformed("a control character " + describe(c) + " (XML 1.0 §2.2 allows none)");
    return false;
  }
  if ((b >= 0x80 || utf8_need_ != 0) && !detail::utf8_step(utf8_need_, utf8_lead_, b)) {
    fail_malformed("invalid UTF-8");
    return false;
  }
  return true;
}

[[gnu::always_inline]] inline std::optional<frame> stream_framer::step(char c) {
  switch (state_) {
  case state::text: return on_text(c);
  case state::reference: return on_reference(c);
  case state::tag_start: return on_tag_start(c);
  case state::start_name: return on_start_name(c);
  case state::in_start_tag:
  case state::after_value:
  case state::empty_end: return on_in_start_tag(c);
  case state::attribute_name:
  case state::before_equals:
  case state::before_value:
  case state::attribute_value: return on_attribute(c);
  case state::end_name:
  case state::after_end_name: return on_end_name(c);
  case state::declaration:
    if (c == '>' && buffer_[pos_ - 2] == '?') {
      state_ = state::text;
      consumed_ = pos_;
    }
    return std::nullopt;
  case state::cdata:
    if (c == '>' && std::string_view{buffer_}.substr(0, pos_).ends_with(cdata_close))
      state_ = state::text;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<frame> stream_framer::scan() {
  while (pos_ < buffer_.size() && error_ == framer_error::none) {
    skip_plain_bytes();
    if (pos_ == buffer_.size())
      break;
    const auto at = pos_;
    const char c = buffer_[pos_++];
    // Counted before the byte can complete a frame: no frame exceeds the maximum.
    if (pos_ - consumed_ > max_frame_bytes_) {
      fail_too_large();
      break;
    }
    if (!check_byte(c))
      break;
    if (auto result = step(c))
      return result;
    if (pos_ == at)
      return std::nullopt;  // a state stepped back to wait for more bytes
  }
  return std::nullopt;
}

inline std::optional<frame> stream_framer::on_text(char c) {
  if (c == '<') {
    tag_start_ = pos_ - 1;
    state_ = state::tag_start;
  } else if (depth_ <= 1) {
    // Between top-level elements only white space may appear
    // (keepalives); it is dropped at once so it never piles up.
    if (!is(c, detail::space))
      fail_malformed("text outside of a stanza");
    consumed_ = pos_;
  } else if (c == '&') {
    start_reference(state::text);
  }
  return std::nullopt;
}

inline void stream_framer::start_reference(state back) {
  after_reference_ = back;
  reference_size_ = 0;
  state_ = state::reference;
}

inline std::optional<frame> stream_framer::on_reference(char c) {
  if (c == ';') {
    const auto why = detail::check_reference({reference_, reference_size_});
    if (!why.empty())
      fail_malformed(why);
    state_ = after_reference_;
  } else if ((c == '#' || is(c, detail::name_char)) && reference_size_ < sizeof reference_) {
    reference_[reference_size_++] = c;
  } else {
    fail_malformed("a '&' that starts no entity or character reference (write &amp;)");
  }
  return std::nullopt;
}

inline std::optional<frame> stream_framer::on_tag_start(char c) {
  if (c == '/') {
    state_ = state::end_name;
  } else if (c == '?') {
    // RFC 6120 §11.1: no processing instructions inside the stream.
    if (stream_open_)
      fail_malformed("a processing instruction inside the stream");
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
    if (depth_ < 2 || !rest.starts_with(cdata_open)) {
      fail_malformed("comments and DTDs are not allowed (RFC 6120 §11.1)");
      return std::nullopt;
    }
    pos_ = tag_start_ + cdata_open.size();
    state_ = state::cdata;
  } else if (is(c, detail::name_start)) {
    if (depth_ == 1)
      frame_start_ = tag_start_;
    state_ = state::start_name;
  } else {
    fail_malformed("a '<' that starts no tag");
  }
  return std::nullopt;
}

inline std::optional<frame> stream_framer::on_start_name(char c) {
  if (is(c, detail::name_char))
    return std::nullopt;
  if (depth_ == 0) {
    const auto name = std::string_view{buffer_}.substr(tag_start_ + 1, pos_ - 2 - tag_start_);
    if (!is_stream_element(name)) {
      fail_malformed("expected a stream header, got <" + detail::printable(name) + ">");
      return std::nullopt;
    }
  }
  state_ = state::in_start_tag;
  return on_in_start_tag(c);
}

// Between attributes, after a value, after "/": what may come next.
inline std::optional<frame> stream_framer::on_in_start_tag(char c) {
  const auto was = state_;
  if (was == state::empty_end) {
    if (c == '>')
      return finish_start_tag(true);
    fail_malformed("a '/' in a start tag not followed by '>'");
  } else if (c == '>') {
    return finish_start_tag(false);
  } else if (c == '/') {
    state_ = state::empty_end;
  } else if (is(c, detail::space)) {
    state_ = state::in_start_tag;
  } else if (was == state::in_start_tag && is(c, detail::name_start)) {
    state_ = state::attribute_name;
  } else if (was == state::after_value && is(c, detail::name_start)) {
    fail_malformed("no white space between attributes");
  } else {
    fail_malformed("a character " + describe(c) + " in a start tag");
  }
  return std::nullopt;
}

// name = 'value' (or "value"), with white space around '=' allowed.
inline std::optional<frame> stream_framer::on_attribute(char c) {
  switch (state_) {
  case state::attribute_name:
    if (is(c, detail::name_char))
      return std::nullopt;
    [[fallthrough]];
  case state::before_equals:
    if (c == '=')
      state_ = state::before_value;
    else if (is(c, detail::space))
      state_ = state::before_equals;
    else
      fail_malformed("an attribute without '=' and a value");
    return std::nullopt;
  case state::before_value:
    if (c == '\'' || c == '"') {
      quote_ = c;
      state_ = state::attribute_value;
    } else if (!is(c, detail::space)) {
      fail_malformed("an attribute value without quotes");
    }
    return std::nullopt;
  default:  // attribute_value
    if (c == quote_)
      state_ = state::after_value;
    else if (c == '<')
      fail_malformed("a '<' in an attribute value");
    else if (c == '&')
      start_reference(state::attribute_value);
    return std::nullopt;
  }
}

inline std::optional<frame> stream_framer::finish_start_tag(bool empty) {
  state_ = state::text;
  if (depth_ == 0) {
    if (empty) {
      fail_malformed("expected a stream header, got an empty element");
      return std::nullopt;
    }
    depth_ = 1;
    stream_open_ = true;
    return emit(frame_kind::stream_open, pos_);
  }
  if (!empty) {
    push_open_name(static_cast<std::uint32_t>(tag_start_ + 1 - frame_start_));
    ++depth_;
    return std::nullopt;
  }
  if (depth_ == 1)
    return emit(frame_kind::element, pos_);
  return std::nullopt;
}

inline std::string_view stream_framer::open_element_name() const {
  const auto start = frame_start_ + top_open_name();
  auto end = start;
  while (end < buffer_.size() && is(buffer_[end], detail::name_char))
    ++end;
  return std::string_view{buffer_}.substr(start, end - start);
}

inline std::optional<frame> stream_framer::on_end_name(char c) {
  if (state_ == state::end_name) {
    if (is(c, detail::name_char))
      return std::nullopt;
    const auto name = std::string_view{buffer_}.substr(tag_start_ + 2, pos_ - 3 - tag_start_);
    if (depth_ == 0) {
      fail_malformed("an end tag before the stream header");
      return std::nullopt;
    }
    if (depth_ == 1 && !is_stream_element(name)) {
      fail_malformed("an unexpected end tag </" + detail::printable(name) + ">");
      return std::nullopt;
    }
    if (depth_ > 1 && name != open_element_name()) {
      fail_malformed("the end tag </" + detail::printable(name) + "> does not match <"
                     + detail::printable(open_element_name()) + ">");
      return std::nullopt;
    }
    state_ = state::after_end_name;
  }
  if (c == '>')
    return finish_end_tag();
  if (!is(c, detail::space))
    fail_malformed("a character " + describe(c) + " in an end tag");
  return std::nullopt;
}

inline std::optional<frame> stream_framer::finish_end_tag() {
  state_ = state::text;
  if (depth_ == 1) {
    depth_ = 0;
    stream_open_ = false;
    return emit(frame_kind::stream_close, pos_);
  }
  pop_open_name();
  if (--depth_ == 1)
    return emit(frame_kind::element, pos_);
  return std::nullopt;
}

}  // namespace amoc::xmpp
