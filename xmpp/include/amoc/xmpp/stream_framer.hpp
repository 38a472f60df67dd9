#pragma once

/// Splits an XMPP byte stream into top-level frames (RFC 6120 §4): the stream
/// header, each stanza or nonza (a complete element at depth 1), and the
/// stream close. Incremental: bytes are fed as they arrive, in any split, and
/// a frame is handed out as soon as its last byte is in. The framer only finds
/// element boundaries; a stanza's XML is parsed afterwards (pugixml).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

private:
  enum class state : std::uint8_t {
    text,         // character data between tags
    tag_start,    // just after '<'
    open_tag,     // inside a start tag
    close_tag,    // inside an end tag
    declaration,  // inside <?...?>
    cdata,        // inside <![CDATA[...]]>
  };

  std::optional<frame> scan();
  std::optional<frame> on_tag_start(char c);
  std::optional<frame> on_open_tag(char c);
  std::optional<frame> on_close_tag(char c);
  std::optional<frame> finish_element();
  std::optional<frame> emit(frame_kind kind, std::size_t end);
  void fail(framer_error e, std::string message);
  void fail_too_large();
  void compact();

  std::size_t max_frame_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;     // bytes already handed out
  std::size_t pos_ = 0;          // next byte to scan
  std::size_t frame_start_ = 0;  // where the frame being scanned began
  std::size_t tag_start_ = 0;    // where the current tag began
  int depth_ = 0;                // 0 before the header, 1 inside the stream
  bool stream_open_ = false;
  char quote_ = 0;  // the quote of the attribute value being scanned, if any
  state state_ = state::text;
  framer_error error_ = framer_error::none;
  std::string message_;
};

}  // namespace amoc::xmpp
