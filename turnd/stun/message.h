// MessageView parses a STUN message in place and hands out views into it;
// MessageBuilder writes a message into a caller-supplied buffer. Neither
// allocates nor throws (RFC 8489 §5, §14).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "turnd/common/bytes.h"
#include "turnd/stun/constants.h"

namespace turnd::stun {

class MacContext;
enum class MacAlgorithm : uint8_t;

struct TransactionId {
  std::array<std::byte, kTransactionIdSize> bytes{};
  bool operator==(const TransactionId&) const = default;
};

struct Attribute {
  uint16_t type = 0;
  Bytes value;
};

enum class ParseResult : uint8_t {
  kOk,
  kNotStun,    // not a STUN message at all: drop silently
  kMalformed,  // a STUN header whose body is broken: 400 for requests
};

// True when `data` starts like a STUN message: two leading zero bits and the
// magic cookie (RFC 7983 demultiplexing uses the first byte only).
bool looks_like_stun(Bytes data) noexcept;

class MessageView {
 public:
  // Parses a message that occupies exactly `data` (a datagram or one frame).
  // On kMalformed, `out` holds the header only (no attributes are visible).
  static ParseResult parse(Bytes data, MessageView& out) noexcept;

  uint16_t type() const noexcept { return load_be16(data_.data()); }
  uint16_t method() const noexcept { return decode_method(type()); }
  MessageClass message_class() const noexcept { return decode_class(type()); }
  bool is(Method m, MessageClass c) const noexcept {
    return method() == static_cast<uint16_t>(m) && message_class() == c;
  }
  Bytes transaction_id() const noexcept { return data_.subspan(8, kTransactionIdSize); }
  TransactionId transaction_id_copy() const noexcept;
  Bytes data() const noexcept { return data_; }

  // The first attribute of `type` that counts: attributes after
  // MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT,
  // and anything after MESSAGE-INTEGRITY-SHA256 but FINGERPRINT, are ignored.
  std::optional<Attribute> find(uint16_t type) const noexcept;

  // Calls fn(const Attribute&) for every attribute that counts, in order;
  // stops early when fn returns false.
  template <typename Fn>
  void for_each(Fn&& fn) const noexcept;

  // Offsets of the attribute headers within data(); 0 when absent.
  size_t integrity_offset() const noexcept { return integrity_offset_; }
  size_t integrity_sha256_offset() const noexcept { return integrity_sha256_offset_; }
  size_t fingerprint_offset() const noexcept { return fingerprint_offset_; }

 private:
  bool counts(size_t offset, uint16_t type) const noexcept;

  Bytes data_;
  size_t integrity_offset_ = 0;
  size_t integrity_sha256_offset_ = 0;
  size_t fingerprint_offset_ = 0;
};

class MessageBuilder {
 public:
  MessageBuilder(MutableBytes buffer, uint16_t method, MessageClass cls,
                 Bytes transaction_id) noexcept;
  MessageBuilder(MutableBytes buffer, Method method, MessageClass cls,
                 Bytes transaction_id) noexcept
      : MessageBuilder(buffer, static_cast<uint16_t>(method), cls, transaction_id) {}

  void add(uint16_t type, Bytes value) noexcept;
  void add_u32(uint16_t type, uint32_t value) noexcept;
  // Reserves a zero-filled (and zero-padded) value of `length` bytes and
  // returns it for the caller to fill; empty when the buffer is too small.
  MutableBytes reserve(uint16_t type, size_t length) noexcept;
  // Like reserve() but leaves the value bytes as they are (only the padding
  // is zeroed): for building a header in front of a payload already in place.
  MutableBytes reserve_in_place(uint16_t type, size_t length) noexcept;

  // Appends MESSAGE-INTEGRITY / -SHA256 / FINGERPRINT over what is built so far.
  void add_message_integrity(MacContext& mac, Bytes key) noexcept;
  void add_message_integrity_sha256(MacContext& mac, Bytes key) noexcept;
  void add_fingerprint() noexcept;

  bool ok() const noexcept { return !overflow_; }
  size_t size() const noexcept { return size_; }
  Bytes transaction_id() const noexcept { return Bytes(buffer_.data() + 8, kTransactionIdSize); }
  // The finished message, or an empty span when the buffer overflowed.
  Bytes bytes() const noexcept { return overflow_ ? Bytes() : Bytes(buffer_.data(), size_); }

 private:
  void add_mac(MacContext& mac, MacAlgorithm algorithm, uint16_t type, size_t length,
               Bytes key) noexcept;

  MutableBytes buffer_;
  size_t size_ = 0;
  bool overflow_ = false;
};

template <typename Fn>
void MessageView::for_each(Fn&& fn) const noexcept {
  size_t offset = kHeaderSize;
  while (offset + kAttributeHeaderSize <= data_.size()) {
    uint16_t type = load_be16(data_.data() + offset);
    uint16_t length = load_be16(data_.data() + offset + 2);
    if (counts(offset, type)) {
      Attribute a{type, data_.subspan(offset + kAttributeHeaderSize, length)};
      if (!fn(a)) return;
    }
    offset += kAttributeHeaderSize + pad4(length);
  }
}

}  // namespace turnd::stun
