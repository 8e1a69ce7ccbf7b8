// RtpPacketView parses an RTP packet in place (RFC 3550 §5.1) with its header
// extension in the one-byte or two-byte form (RFC 8285 §4) and hands out
// views into it; MutableRtpPacket rewrites the fields an SFU changes when it
// forwards a packet (SSRC, sequence number, timestamp, payload type, marker,
// extension values of the same length). Neither allocates nor throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "turnd/common/bytes.h"

namespace turnd::sfu::rtp {

inline constexpr size_t kRtpHeaderSize = 12;  // without CSRCs and extension
inline constexpr uint16_t kOneByteExtensionProfile = 0xBEDE;
inline constexpr uint16_t kTwoByteExtensionProfile = 0x1000;  // low 4 bits: appbits
inline constexpr uint8_t kMaxOneByteExtensionId = 14;

enum class RtpError : uint8_t {
  kOk,
  kTooShort,             // shorter than the 12-byte fixed header
  kBadVersion,           // V is not 2
  kTruncatedCsrc,        // the CSRC list runs past the end
  kTruncatedExtension,   // the extension header or its length runs past the end
  kBadExtensionElement,  // a one-/two-byte element overflows the extension block
  kBadPadding,           // padding count 0 or larger than what follows the header
};
const char* to_string(RtpError error) noexcept;

enum class ExtensionForm : uint8_t {
  kNone,     // X bit clear
  kOneByte,  // profile 0xBEDE
  kTwoByte,  // profile 0x100X
  kOther,    // some other profile: the block is visible, elements are not
};

struct HeaderExtension {
  uint8_t id = 0;
  Bytes value;
};

namespace detail {
// Calls fn(id, offset, length) for each element of an extension block (offsets
// within `block`), skipping padding and stopping at a one-byte ID 15. Returns
// false when an element overflows the block.
template <typename Fn>
bool walk_extensions(Bytes block, ExtensionForm form, Fn&& fn) noexcept;
}  // namespace detail

class RtpPacketView {
 public:
  // Parses a packet that occupies exactly `data`.
  static RtpError parse(Bytes data, RtpPacketView& out) noexcept;

  bool padding() const noexcept { return (byte(0) & 0x20) != 0; }
  bool has_extension() const noexcept { return (byte(0) & 0x10) != 0; }
  uint8_t csrc_count() const noexcept { return byte(0) & 0x0F; }
  bool marker() const noexcept { return (byte(1) & 0x80) != 0; }
  uint8_t payload_type() const noexcept { return byte(1) & 0x7F; }
  uint16_t sequence_number() const noexcept { return load_be16(data_.data() + 2); }
  uint32_t timestamp() const noexcept { return load_be32(data_.data() + 4); }
  uint32_t ssrc() const noexcept { return load_be32(data_.data() + 8); }
  // The i-th contributing source, i < csrc_count().
  uint32_t csrc(size_t i) const noexcept { return load_be32(data_.data() + 12 + 4 * i); }

  ExtensionForm extension_form() const noexcept { return form_; }
  // The 16-bit "defined by profile" field; 0 without an extension.
  uint16_t extension_profile() const noexcept;
  // The extension's body after its 4-byte header (elements and padding).
  Bytes extension_block() const noexcept {
    return data_.subspan(extension_offset_, extension_size_);
  }
  // The value of the first element with `id`; nullopt when absent (a
  // two-byte-form value may be empty, hence the optional).
  std::optional<Bytes> find_extension(uint8_t id) const noexcept;
  // Calls fn(const HeaderExtension&) for every element; stops when fn returns false.
  template <typename Fn>
  void for_each_extension(Fn&& fn) const noexcept;

  size_t header_size() const noexcept { return header_size_; }
  uint8_t padding_size() const noexcept { return padding_size_; }
  Bytes payload() const noexcept {
    return data_.subspan(header_size_, data_.size() - header_size_ - padding_size_);
  }
  Bytes data() const noexcept { return data_; }

 private:
  friend class MutableRtpPacket;
  uint8_t byte(size_t i) const noexcept { return static_cast<uint8_t>(data_[i]); }
  // Offset within data() of the value of the element with `id`.
  bool locate_extension(uint8_t id, size_t& offset, size_t& length) const noexcept;

  Bytes data_;
  size_t header_size_ = 0;
  size_t extension_offset_ = 0;  // of the block, within data_
  size_t extension_size_ = 0;
  uint8_t padding_size_ = 0;
  ExtensionForm form_ = ExtensionForm::kNone;
};

// The SFU's forwarding rewrites. Parse once, then change fields in place; the
// view() sees the new values.
class MutableRtpPacket {
 public:
  static RtpError parse(MutableBytes data, MutableRtpPacket& out) noexcept;

  const RtpPacketView& view() const noexcept { return view_; }
  MutableBytes data() const noexcept { return data_; }

  void set_marker(bool marker) noexcept;
  void set_payload_type(uint8_t payload_type) noexcept;  // keeps the marker bit
  void set_sequence_number(uint16_t seq) noexcept { store_be16(data_.data() + 2, seq); }
  void set_timestamp(uint32_t timestamp) noexcept { store_be32(data_.data() + 4, timestamp); }
  void set_ssrc(uint32_t ssrc) noexcept { store_be32(data_.data() + 8, ssrc); }

  // The writable value of the element with `id`; empty when absent.
  MutableBytes extension(uint8_t id) noexcept;
  // Overwrites the value of the element with `id` when it has exactly
  // value.size() bytes; false (and nothing changed) otherwise.
  bool set_extension(uint8_t id, Bytes value) noexcept;

 private:
  MutableBytes data_;
  RtpPacketView view_;
};

// --- inline templates ----------------------------------------------------------

template <typename Fn>
bool detail::walk_extensions(Bytes block, ExtensionForm form, Fn&& fn) noexcept {
  const size_t n = block.size();
  size_t i = 0;
  if (form == ExtensionForm::kOneByte) {
    while (i < n) {
      const auto b = static_cast<uint8_t>(block[i]);
      const uint8_t id = b >> 4;
      if (id == 0) {  // padding byte (RFC 8285 §4.2)
        ++i;
        continue;
      }
      if (id == 15) return true;  // reserved: stop processing
      const size_t length = (b & 0x0F) + 1u;
      if (i + 1 + length > n) return false;
      if (!fn(id, i + 1, length)) return true;
      i += 1 + length;
    }
  } else if (form == ExtensionForm::kTwoByte) {
    while (i < n) {
      const auto id = static_cast<uint8_t>(block[i]);
      if (id == 0) {  // padding byte (RFC 8285 §4.3)
        ++i;
        continue;
      }
      if (i + 2 > n) return false;
      const size_t length = static_cast<uint8_t>(block[i + 1]);
      if (i + 2 + length > n) return false;
      if (!fn(id, i + 2, length)) return true;
      i += 2 + length;
    }
  }
  return true;
}

template <typename Fn>
void RtpPacketView::for_each_extension(Fn&& fn) const noexcept {
  const Bytes block = extension_block();
  detail::walk_extensions(block, form_, [&](uint8_t id, size_t offset, size_t length) {
    return fn(HeaderExtension{id, block.subspan(offset, length)});
  });
}

}  // namespace turnd::sfu::rtp
