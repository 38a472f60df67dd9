#pragma once

/// Splits an XMPP byte stream into top-level frames (RFC 6120 §4): the stream
/// header, each stanza or nonza (a complete element at depth 1), and the
/// stream close. Incremental: bytes are fed as they arrive, in any split, and
/// a frame is handed out as soon as its last byte is in. On the way it checks
/// that the stream is well-formed XML an XMPP stream may carry (RFC 6120
/// §11.1): matching end tags, attribute syntax, entity and character
/// references, UTF-8, no control characters, comments, DTDs or processing
/// instructions. It builds no DOM: a stanza's XML is parsed later (pugixml),
/// and whatever the framer hands out parses. Not checked: duplicate
/// attributes and namespace prefixes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amoc::xmpp {

/// What a frame of an XMPP stream is.
enum class frame_kind : std::uint8_t {
  stream_open,   ///< `<stream:stream ...>` (the opening tag only)
  element,       ///< a complete top-level element: a stanza or a nonza
  stream_close,  ///< `</stream:stream>`
};

/// One frame cut from the stream.
struct frame {
  frame_kind kind;
  /// The frame's bytes; valid until the next call of `feed`, `next` or `reset`.
  std::string_view xml;
};

/// Why a stream cannot be framed: the connection must end.
enum class framer_error : std::uint8_t {
  none,
  too_large,  ///< a frame (or the header) exceeds the configured maximum
  malformed,  ///< not XML an XMPP stream may carry (RFC 6120 §11.1)
};

/// Cuts an XMPP byte stream into frames (stream header, elements, close) without
/// building a DOM; bounded in memory by the configured maximum frame size.
class stream_framer {
public:
  /// `max_frame_bytes` bounds the memory a peer can make us hold.
  explicit stream_framer(std::size_t max_frame_bytes);

  /// Appends bytes received from the peer.
  void feed(std::string_view bytes);

  /// The next complete frame, or nullopt when more bytes are needed or the
  /// stream failed (see `error`).
  [[nodiscard]] std::optional<frame> next();

  [[nodiscard]] framer_error error() const noexcept { return error_; }
  /// What went wrong, for logs and failure reasons ("" when nothing did).
  [[nodiscard]] const std::string& error_message() const noexcept { return message_; }

  /// Starts over with an empty buffer: after STARTTLS and after SASL success
  /// both sides open a new stream (RFC 6120 §5.4.3.3, §6.4.6).
  void reset();

  /// Bytes held: received and not yet handed out.
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size() - consumed_; }

  /// Checks one complete element on its own, as a WebSocket message carries
  /// it (RFC 7395 §3.3.3): "" when it is one well-formed element of at most
  /// `max_bytes`, otherwise why not.
  [[nodiscard]] static std::string check_element(std::string_view xml, std::size_t max_bytes);

private:
  enum class state : std::uint8_t {
    text,             // character data between tags
    reference,        // inside "&...;", in text or an attribute value
    tag_start,        // just after '<'
    start_name,       // the element name of a start tag
    in_start_tag,     // between the attributes of a start tag
    attribute_name,   // an attribute's name
    before_equals,    // white space after an attribute's name
    before_value,     // after '='
    attribute_value,  // inside the quotes
    after_value,      // just after an attribute value's closing quote
    empty_end,        // after the '/' of "<name/>"
    end_name,         // the element name of an end tag
    after_end_name,   // white space before an end tag's '>'
    declaration,      // inside <?...?>
    cdata,            // inside <![CDATA[...]]>
  };

  std::optional<frame> scan();
  void skip_plain_bytes();
  bool check_byte(char c);
  std::optional<frame> step(char c);
  std::optional<frame> on_text(char c);
  std::optional<frame> on_reference(char c);
  std::optional<frame> on_tag_start(char c);
  std::optional<frame> on_start_name(char c);
  std::optional<frame> on_in_start_tag(char c);
  std::optional<frame> on_attribute(char c);
  std::optional<frame> on_end_name(char c);
  std::optional<frame> finish_start_tag(bool empty);
  std::optional<frame> finish_end_tag();
  std::optional<frame> emit(frame_kind kind, std::size_t end);
  [[nodiscard]] std::string_view open_element_name() const;
  void start_reference(state back);
  void fail(framer_error e, std::string message);
  void fail_malformed(std::string_view what);
  void fail_too_large();
  void compact();

  std::size_t max_frame_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;     // bytes already handed out
  std::size_t pos_ = 0;          // next byte to scan
  std::size_t frame_start_ = 0;  // where the frame being scanned began
  std::size_t tag_start_ = 0;    // where the current tag began
  // Where the name of each open element inside the frame starts, counted
  // from `frame_start_` (end tags must match; frames are < 4 GiB). The first
  // few are kept in the framer itself: stanzas nest a few levels deep, and
  // a vector would be allocated and freed with every read (an idle
  // connection keeps nothing on the heap).
  void push_open_name(std::uint32_t at);
  void pop_open_name() noexcept;
  [[nodiscard]] std::uint32_t top_open_name() const noexcept;
  void clear_open_names() noexcept;
  static constexpr std::size_t inline_open_names = 6;
  std::array<std::uint32_t, inline_open_names> open_inline_{};
  std::vector<std::uint32_t> open_deeper_;
  std::uint32_t open_count_ = 0;
  int depth_ = 0;  // 0 before the header, 1 inside the stream
  bool stream_open_ = false;
  char quote_ = 0;  // the quote of the attribute value being scanned
  state state_ = state::text;
  state after_reference_ = state::text;
  // UTF-8 decoding (xml_chars.hpp): continuation bytes due, the sequence's lead byte.
  std::uint8_t utf8_need_ = 0;
  std::uint8_t utf8_lead_ = 0;
  std::uint8_t reference_size_ = 0;
  char reference_[12] = {};  // what follows the '&' of a reference so far (no ';' yet)
  framer_error error_ = framer_error::none;
  std::string message_;
};

}  // namespace amoc::xmpp
