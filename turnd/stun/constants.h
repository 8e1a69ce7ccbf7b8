// Protocol constants of STUN (RFC 8489) and TURN (RFC 8656, RFC 6156).
#pragma once

#include <cstddef>
#include <cstdint>

namespace turnd::stun {

inline constexpr uint32_t kMagicCookie = 0x2112A442;
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kAttributeHeaderSize = 4;
inline constexpr size_t kTransactionIdSize = 12;
inline constexpr uint32_t kFingerprintXor = 0x5354554E;
inline constexpr size_t kHmacSha1Size = 20;
inline constexpr size_t kHmacSha256Size = 32;
// RFC 8656 §7: a ChannelData message's header is 4 bytes.
inline constexpr size_t kChannelDataHeaderSize = 4;
// RFC 8656 narrowed channel numbers to 0x4000-0x4FFF; RFC 5766 allowed up to
// 0x7FFF and clients in the field (coturn's own tools among them) still use
// that range, so it is accepted, as coturn does.
inline constexpr uint16_t kMinChannelNumber = 0x4000;
inline constexpr uint16_t kMaxChannelNumber = 0x7FFF;

enum class Method : uint16_t {
  kBinding = 0x001,
  kAllocate = 0x003,
  kRefresh = 0x004,
  kSend = 0x006,
  kData = 0x007,
  kCreatePermission = 0x008,
  kChannelBind = 0x009,
};

enum class MessageClass : uint8_t {
  kRequest = 0,
  kIndication = 1,
  kSuccessResponse = 2,
  kErrorResponse = 3,
};

// RFC 8489 §5: the 14-bit type interleaves the class bits C1/C0 into the method.
constexpr uint16_t encode_type(uint16_t method, MessageClass cls) noexcept {
  auto c = static_cast<uint16_t>(cls);
  return static_cast<uint16_t>((method & 0x000F) | ((method & 0x0070) << 1) |
                               ((method & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
}
constexpr uint16_t decode_method(uint16_t type) noexcept {
  return static_cast<uint16_t>((type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2));
}
constexpr MessageClass decode_class(uint16_t type) noexcept {
  return static_cast<MessageClass>(((type >> 4) & 1) | ((type >> 7) & 2));
}

namespace attr {
// Comprehension-required (0x0000-0x7FFF).
inline constexpr uint16_t kMappedAddress = 0x0001;
inline constexpr uint16_t kUsername = 0x0006;
inline constexpr uint16_t kMessageIntegrity = 0x0008;
inline constexpr uint16_t kErrorCode = 0x0009;
inline constexpr uint16_t kUnknownAttributes = 0x000A;
inline constexpr uint16_t kChannelNumber = 0x000C;
inline constexpr uint16_t kLifetime = 0x000D;
inline constexpr uint16_t kXorPeerAddress = 0x0012;
inline constexpr uint16_t kData = 0x0013;
inline constexpr uint16_t kRealm = 0x0014;
inline constexpr uint16_t kNonce = 0x0015;
inline constexpr uint16_t kXorRelayedAddress = 0x0016;
inline constexpr uint16_t kRequestedAddressFamily = 0x0017;
inline constexpr uint16_t kEvenPort = 0x0018;
inline constexpr uint16_t kRequestedTransport = 0x0019;
inline constexpr uint16_t kDontFragment = 0x001A;
inline constexpr uint16_t kMessageIntegritySha256 = 0x001C;
inline constexpr uint16_t kPasswordAlgorithm = 0x001D;
inline constexpr uint16_t kUserhash = 0x001E;
inline constexpr uint16_t kXorMappedAddress = 0x0020;
inline constexpr uint16_t kReservationToken = 0x0022;
inline constexpr uint16_t kPriority = 0x0024;      // RFC 8445, used by ICE
inline constexpr uint16_t kUseCandidate = 0x0025;  // RFC 8445
// Comprehension-optional (0x8000-0xFFFF).
inline constexpr uint16_t kAdditionalAddressFamily = 0x8000;
inline constexpr uint16_t kAddressErrorCode = 0x8001;
inline constexpr uint16_t kPasswordAlgorithms = 0x8002;
inline constexpr uint16_t kAlternateDomain = 0x8003;
inline constexpr uint16_t kIcmp = 0x8004;
inline constexpr uint16_t kSoftware = 0x8022;
inline constexpr uint16_t kAlternateServer = 0x8023;
inline constexpr uint16_t kFingerprint = 0x8028;
inline constexpr uint16_t kIceControlled = 0x8029;   // RFC 8445
inline constexpr uint16_t kIceControlling = 0x802A;  // RFC 8445

constexpr bool comprehension_required(uint16_t type) noexcept {
  return type < 0x8000;
}
}  // namespace attr

// Error codes used by STUN and TURN (RFC 8489 §14.8, RFC 8656 §18, RFC 6156).
namespace error {
inline constexpr uint16_t kTryAlternate = 300;
inline constexpr uint16_t kBadRequest = 400;
inline constexpr uint16_t kUnauthenticated = 401;
inline constexpr uint16_t kForbidden = 403;
inline constexpr uint16_t kUnknownAttribute = 420;
inline constexpr uint16_t kAllocationMismatch = 437;
inline constexpr uint16_t kStaleNonce = 438;
inline constexpr uint16_t kAddressFamilyNotSupported = 440;
inline constexpr uint16_t kWrongCredentials = 441;
inline constexpr uint16_t kUnsupportedTransportProtocol = 442;
inline constexpr uint16_t kPeerAddressFamilyMismatch = 443;
inline constexpr uint16_t kAllocationQuotaReached = 486;
inline constexpr uint16_t kRoleConflict = 487;
inline constexpr uint16_t kServerError = 500;
inline constexpr uint16_t kInsufficientCapacity = 508;

// The RFC's recommended reason phrase for a code ("" for unknown codes).
const char* reason_phrase(uint16_t code) noexcept;
}  // namespace error

// REQUESTED-TRANSPORT protocol numbers.
inline constexpr uint8_t kTransportUdp = 17;
inline constexpr uint8_t kTransportTcp = 6;

// Address family codes used in STUN address attributes and
// REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.8).
inline constexpr uint8_t kFamilyIPv4 = 0x01;
inline constexpr uint8_t kFamilyIPv6 = 0x02;

}  // namespace turnd::stun
