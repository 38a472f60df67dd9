#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace amoc::links {

/// The largest BASP message a node accepts once its peer is known (64 MiB):
/// room for a scenario plugin shipped to every node, far below what a
/// hostile header could make CAF allocate (its reader trusts the length).
inline constexpr std::uint32_t max_frame_bytes = 64u << 20;
/// The largest message before the handshake is done: a handshake is ~100 bytes.
inline constexpr std::uint32_t max_handshake_frame_bytes = 64u << 10;

/// Watches the bytes a peer sends to CAF's BASP and refuses a stream that
/// CAF would trust blindly: an unknown operation, a payload over the limits
/// above, or a first message that is not the expected handshake. It only
/// parses headers (32 bytes: operation, 2 padding, flags, 32-bit payload
/// length, 64-bit operation data, two 64-bit actor ids, network byte order)
/// and skips payloads, so the bytes themselves pass through unchanged.
class frame_guard {
public:
  /// Who sends the first message: a node that was dialled sends its server
  /// handshake first, a node that dialled sends its client handshake.
  enum class peer { dialled, dialling };

  explicit frame_guard(peer sender) noexcept : sender_(sender) {}

  /// Checks the next bytes of the stream; an empty string while they are
  /// fine, else why the stream must be closed (the guard stays failed).
  [[nodiscard]] std::string feed(std::span<const std::byte> bytes);

  /// True once the peer's handshake message went through whole.
  [[nodiscard]] bool handshake_done() const noexcept { return handshake_done_; }

private:
  [[nodiscard]] std::string check_header();

  static constexpr std::size_t header_size = 32;
  peer sender_;
  std::array<std::byte, header_size> header_{};
  std::size_t header_fill_ = 0;
  std::uint64_t payload_left_ = 0;
  std::uint64_t frames_ = 0;  // headers accepted
  bool handshake_done_ = false;
  std::string failure_;
};

}  // namespace amoc::links
