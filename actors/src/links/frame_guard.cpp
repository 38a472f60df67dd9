#include "frame_guard.hpp"

#include <algorithm>

namespace amoc::links {

namespace {

// BASP 0.17 operations (caf/io/basp/message_type.hpp).
constexpr std::uint8_t server_handshake = 0x00;
constexpr std::uint8_t client_handshake = 0x01;
constexpr std::uint8_t last_operation = 0x06;  // heartbeat

constexpr std::uint8_t direct_message = 0x02;
constexpr std::uint8_t routed_message = 0x03;
constexpr std::uint8_t monitor_message = 0x04;
constexpr std::uint8_t down_message = 0x05;

std::uint64_t big_endian(const std::byte* p, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i)
    value = (value << 8) | std::to_integer<std::uint64_t>(p[i]);
  return value;
}

// CAF 0.17's own header check (basp::valid), plus what it forgot: a handshake
// without payload makes BASP deserialize from a null buffer (a segfault that
// one 32-byte packet triggers, found by tests/dist/hostile_streams_test.cpp).
bool valid(std::uint8_t operation, std::uint32_t payload, std::uint64_t data, std::uint64_t source,
           std::uint64_t dest) {
  switch (operation) {
  case server_handshake: return data != 0 && payload != 0;
  case client_handshake: return source == 0 && dest == 0 && payload != 0;
  case direct_message:
  case routed_message: return dest != 0 && payload != 0;
  case monitor_message: return payload != 0 && data == 0;
  case down_message: return source != 0 && dest == 0 && payload != 0 && data == 0;
  default: return source == 0 && dest == 0 && payload == 0 && data == 0;  // heartbeat
  }
}

std::string mib(std::uint32_t bytes) {
  return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB"
                             : std::to_string(bytes >> 10) + " KiB";
}

}  // namespace

std::string frame_guard::feed(std::span<const std::byte> bytes) {
  while (failure_.empty() && !bytes.empty()) {
    if (payload_left_ > 0) {
      const auto n = std::min<std::uint64_t>(payload_left_, bytes.size());
      payload_left_ -= n;
      bytes = bytes.subspan(n);
      handshake_done_ = handshake_done_ || payload_left_ == 0;
      continue;
    }
    const auto n = std::min(header_size - header_fill_, bytes.size());
    std::copy_n(bytes.begin(), n, header_.begin() + header_fill_);
    header_fill_ += n;
    bytes = bytes.subspan(n);
    if (header_fill_ == header_size) {
      header_fill_ = 0;
      failure_ = check_header();
    }
  }
  return failure_;
}

std::string frame_guard::check_header() {
  const auto operation = std::to_integer<std::uint8_t>(header_[0]);
  const auto payload = static_cast<std::uint32_t>(big_endian(header_.data() + 4, 4));
  if (operation > last_operation)
    return "not a BASP message (operation " + std::to_string(operation) + ")";
  if (!valid(operation, payload, big_endian(header_.data() + 8, 8),
             big_endian(header_.data() + 16, 8), big_endian(header_.data() + 24, 8)))
    return "a malformed BASP header (operation " + std::to_string(operation) + ", "
           + std::to_string(payload) + " bytes)";
  if (frames_ == 0) {
    const auto expected = sender_ == peer::dialled ? server_handshake : client_handshake;
    if (operation != expected)
      return "the first message is not a BASP handshake (operation " + std::to_string(operation)
             + ")";
  }
  const auto limit = handshake_done_ ? max_frame_bytes : max_handshake_frame_bytes;
  if (payload > limit)
    return "a message of " + std::to_string(payload) + " bytes, over the " + mib(limit) + " limit"
           + (handshake_done_ ? "" : " before the handshake");
  ++frames_;
  payload_left_ = payload;
  handshake_done_ = handshake_done_ || payload == 0;
  return {};
}

}  // namespace amoc::links
