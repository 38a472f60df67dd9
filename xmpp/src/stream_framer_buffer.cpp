// The stream framer's buffer (fed bytes, compaction, reset), its errors,
// and the check of one element on its own. The scan: stream_framer.cpp.

#include <algorithm>
#include <limits>

#include "amoc/xmpp/stream_framer.hpp"
#include "xml_chars.hpp"

namespace amoc::xmpp {

namespace {

// How much of the stream before a malformed byte its error message quotes.
constexpr std::size_t context_bytes = 60;

}  // namespace

stream_framer::stream_framer(std::size_t max_frame_bytes)
    : max_frame_bytes_(
      std::min<std::size_t>(max_frame_bytes, std::numeric_limits<std::uint32_t>::max())) {}

void stream_framer::feed(std::string_view bytes) {
  if (error_ != framer_error::none)
    return;
  compact();
  buffer_.append(bytes);
}

std::optional<frame> stream_framer::next() {
  if (error_ != framer_error::none)
    return std::nullopt;
  // Frames handed out stay in the buffer until no frame is left: moving
  // the rest of a read down after every frame would copy it over and over.
  auto f = scan();
  if (!f)
    compact();
  return f;
}

void stream_framer::reset() {
  buffer_.clear();
  buffer_.shrink_to_fit();
  clear_open_names();
  consumed_ = pos_ = frame_start_ = tag_start_ = 0;
  depth_ = 0;
  stream_open_ = false;
  quote_ = 0;
  state_ = after_reference_ = state::text;
  utf8_need_ = utf8_lead_ = reference_size_ = 0;
  error_ = framer_error::none;
  message_.clear();
}

std::string stream_framer::check_element(std::string_view xml, std::size_t max_bytes) {
  stream_framer f{max_bytes};
  f.depth_ = 1;  // as if inside a stream
  f.stream_open_ = true;
  f.feed(xml);
  const auto first = f.next();
  if (f.error_ != framer_error::none)
    return f.message_;
  if (!first)
    return "an incomplete element: " + detail::printable(xml.substr(0, context_bytes));
  if (first->kind != frame_kind::element)
    return "not an element: " + detail::printable(xml.substr(0, context_bytes));
  const auto rest = f.next();
  if (f.error_ != framer_error::none)
    return f.message_;
  if (rest || f.buffered() != 0)
    return "more than one element in one message (RFC 7395 §3.3.3)";
  return {};
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
    clear_open_names();
    return;
  }
  // Give back what one large stanza made us allocate.
  if (buffer_.capacity() > 16 * 1024 && buffer_.size() < buffer_.capacity() / 4)
    buffer_.shrink_to_fit();
}

void stream_framer::push_open_name(std::uint32_t at) {
  if (open_count_ < inline_open_names)
    open_inline_[open_count_] = at;
  else
    open_deeper_.push_back(at);
  ++open_count_;
}

void stream_framer::pop_open_name() noexcept {
  if (--open_count_ >= inline_open_names)
    open_deeper_.pop_back();
}

std::uint32_t stream_framer::top_open_name() const noexcept {
  return open_count_ > inline_open_names ? open_deeper_.back() : open_inline_[open_count_ - 1];
}

void stream_framer::clear_open_names() noexcept {
  open_count_ = 0;
  std::vector<std::uint32_t>{}.swap(open_deeper_);
}

void stream_framer::fail(framer_error e, std::string message) {
  error_ = e;
  message_ = std::move(message);
}

void stream_framer::fail_malformed(std::string_view what) {
  // The bytes up to and including the bad one, from the current frame only.
  const auto from = std::max(consumed_, pos_ > context_bytes ? pos_ - context_bytes : 0);
  std::string message{what};
  message += " at \"";
  if (from > consumed_)
    message += "...";
  message += detail::printable(std::string_view{buffer_}.substr(from, pos_ - from));
  message += "\"";
  fail(framer_error::malformed, std::move(message));
}

void stream_framer::fail_too_large() {
  fail(framer_error::too_large,
       "a stanza exceeds the maximum of " + std::to_string(max_frame_bytes_) + " bytes");
}

}  // namespace amoc::xmpp
