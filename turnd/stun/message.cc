#include "turnd/stun/message.h"

#include <algorithm>
#include <cstring>

#include "turnd/stun/integrity.h"

namespace turnd::stun {

bool looks_like_stun(Bytes data) noexcept {
  return data.size() >= kHeaderSize && (static_cast<uint8_t>(data[0]) & 0xC0) == 0 &&
         load_be32(data.data() + 4) == kMagicCookie;
}

ParseResult MessageView::parse(Bytes data, MessageView& out) noexcept {
  if (!looks_like_stun(data)) return ParseResult::kNotStun;
  size_t length = load_be16(data.data() + 2);
  if (length % 4 != 0 || kHeaderSize + length != data.size()) return ParseResult::kNotStun;

  // A broken body still leaves a usable header (type, transaction id) so a
  // request can be answered with 400; attributes are then not visible.
  out = MessageView();
  out.data_ = data.first(kHeaderSize);
  MessageView view;
  view.data_ = data;
  size_t offset = kHeaderSize;
  while (offset < data.size()) {
    if (offset + kAttributeHeaderSize > data.size()) return ParseResult::kMalformed;
    uint16_t type = load_be16(data.data() + offset);
    size_t value_length = load_be16(data.data() + offset + 2);
    size_t next = offset + kAttributeHeaderSize + pad4(value_length);
    if (next > data.size()) return ParseResult::kMalformed;
    if (view.fingerprint_offset_ != 0) return ParseResult::kMalformed;  // FINGERPRINT is last
    if (type == attr::kMessageIntegrity && view.integrity_offset_ == 0 &&
        view.integrity_sha256_offset_ == 0) {
      if (value_length != kHmacSha1Size) return ParseResult::kMalformed;
      view.integrity_offset_ = offset;
    } else if (type == attr::kMessageIntegritySha256 && view.integrity_sha256_offset_ == 0) {
      if (value_length < 16 || value_length > kHmacSha256Size || value_length % 4 != 0) {
        return ParseResult::kMalformed;
      }
      view.integrity_sha256_offset_ = offset;
    } else if (type == attr::kFingerprint) {
      if (value_length != 4) return ParseResult::kMalformed;
      view.fingerprint_offset_ = offset;
    }
    offset = next;
  }
  out = view;
  return ParseResult::kOk;
}

TransactionId MessageView::transaction_id_copy() const noexcept {
  TransactionId id;
  std::memcpy(id.bytes.data(), data_.data() + 8, kTransactionIdSize);
  return id;
}

bool MessageView::counts(size_t offset, uint16_t type) const noexcept {
  // The first integrity attribute, whichever kind, starts the ignored zone.
  size_t first_integrity = integrity_offset_ != 0 ? integrity_offset_ : integrity_sha256_offset_;
  if (first_integrity == 0 || offset <= first_integrity) return true;
  if (offset == fingerprint_offset_) return true;
  return type == attr::kMessageIntegritySha256 && offset == integrity_sha256_offset_;
}

std::optional<Attribute> MessageView::find(uint16_t type) const noexcept {
  std::optional<Attribute> found;
  for_each([&](const Attribute& a) {
    if (a.type != type) return true;
    found = a;
    return false;
  });
  return found;
}

MessageBuilder::MessageBuilder(MutableBytes buffer, uint16_t method, MessageClass cls,
                               Bytes transaction_id) noexcept
    : buffer_(buffer) {
  if (buffer.size() < kHeaderSize || transaction_id.size() != kTransactionIdSize) {
    overflow_ = true;
    return;
  }
  store_be16(buffer_.data(), encode_type(method, cls));
  store_be16(buffer_.data() + 2, 0);
  store_be32(buffer_.data() + 4, kMagicCookie);
  std::memcpy(buffer_.data() + 8, transaction_id.data(), kTransactionIdSize);
  size_ = kHeaderSize;
}

MutableBytes MessageBuilder::reserve(uint16_t type, size_t length) noexcept {
  MutableBytes out = reserve_in_place(type, length);
  if (!out.empty()) std::memset(out.data(), 0, length);
  return out;
}

MutableBytes MessageBuilder::reserve_in_place(uint16_t type, size_t length) noexcept {
  size_t total = kAttributeHeaderSize + pad4(length);
  if (overflow_ || length > 0xFFFF || size_ + total > buffer_.size() ||
      size_ + total - kHeaderSize > 0xFFFF) {
    overflow_ = true;
    return {};
  }
  std::byte* p = buffer_.data() + size_;
  store_be16(p, type);
  store_be16(p + 2, static_cast<uint16_t>(length));
  std::memset(p + kAttributeHeaderSize + length, 0, pad4(length) - length);
  size_ += total;
  store_be16(buffer_.data() + 2, static_cast<uint16_t>(size_ - kHeaderSize));
  return {p + kAttributeHeaderSize, length};
}

void MessageBuilder::add(uint16_t type, Bytes value) noexcept {
  MutableBytes out = reserve(type, value.size());
  if (!out.empty()) std::memcpy(out.data(), value.data(), value.size());
}

void MessageBuilder::add_u32(uint16_t type, uint32_t value) noexcept {
  MutableBytes out = reserve(type, 4);
  if (!out.empty()) store_be32(out.data(), value);
}

void MessageBuilder::add_message_integrity(MacContext& mac, Bytes key) noexcept {
  add_mac(mac, MacAlgorithm::kSha1, attr::kMessageIntegrity, kHmacSha1Size, key);
}

void MessageBuilder::add_message_integrity_sha256(MacContext& mac, Bytes key) noexcept {
  add_mac(mac, MacAlgorithm::kSha256, attr::kMessageIntegritySha256, kHmacSha256Size, key);
}

void MessageBuilder::add_mac(MacContext& mac, MacAlgorithm algorithm, uint16_t type, size_t length,
                             Bytes key) noexcept {
  size_t prefix = size_;
  MutableBytes out = reserve(type, length);
  if (out.empty()) return;
  // The header length already ends right after this attribute.
  if (!compute_integrity(mac, algorithm, Bytes(buffer_.data(), prefix), size_ - kHeaderSize, key,
                         out)) {
    overflow_ = true;
  }
}

void MessageBuilder::add_fingerprint() noexcept {
  size_t prefix = size_;
  MutableBytes out = reserve(attr::kFingerprint, 4);
  if (out.empty()) return;
  store_be32(out.data(), compute_fingerprint(Bytes(buffer_.data(), prefix), size_ - kHeaderSize));
}

}  // namespace turnd::stun
