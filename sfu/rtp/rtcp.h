// RTCP in place: the common header of every RTCP packet (RFC 3550 §6.4.1),
// a compound packet validated as a whole (RFC 3550 §A.2) and iterated packet
// by packet, the report block shared by SR and RR, and a builder that
// concatenates packets into a caller-supplied buffer. The typed views and
// builders live in rtcp_reports.h, rtcp_feedback.h and transport_cc.h.
// Nothing here allocates or throws.
#pragma once

#include <cstddef>
#include <cstdint>

#include "turnd/common/bytes.h"

namespace turnd::sfu::rtp {

// Packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611).
inline constexpr uint8_t kRtcpSenderReport = 200;
inline constexpr uint8_t kRtcpReceiverReport = 201;
inline constexpr uint8_t kRtcpSdes = 202;
inline constexpr uint8_t kRtcpBye = 203;
inline constexpr uint8_t kRtcpApp = 204;
inline constexpr uint8_t kRtcpRtpfb = 205;  // transport-layer feedback
inline constexpr uint8_t kRtcpPsfb = 206;   // payload-specific feedback
inline constexpr uint8_t kRtcpXr = 207;

inline constexpr size_t kRtcpHeaderSize = 4;
inline constexpr uint8_t kMaxRtcpCount = 31;  // the 5-bit RC / SC / FMT field

enum class RtcpError : uint8_t {
  kOk,
  kTooShort,    // less than a header, or trailing bytes after the last packet
  kBadVersion,  // V is not 2
  kBadLength,   // the length field runs past the end of the data
  kBadPadding,  // padding count 0 or larger than the packet's body
  kWrongType,   // a typed view applied to another packet type / FMT
  kBadBody,     // the body does not match its count or its format
};
const char* to_string(RtcpError error) noexcept;

// One RTCP packet: header, body, padding.
class RtcpPacketView {
 public:
  // Parses the packet at the start of `data`; data() is then that packet
  // only ((length + 1) * 4 bytes), which may be less than `data`.
  static RtcpError parse(Bytes data, RtcpPacketView& out) noexcept;

  bool padding() const noexcept { return (byte(0) & 0x20) != 0; }
  // RC / SC / FMT, depending on the type.
  uint8_t count() const noexcept { return byte(0) & 0x1F; }
  uint8_t fmt() const noexcept { return count(); }
  uint8_t type() const noexcept { return byte(1); }
  // After the 4-byte header, without padding.
  Bytes body() const noexcept { return data_.subspan(kRtcpHeaderSize, body_size_); }
  Bytes data() const noexcept { return data_; }

 private:
  uint8_t byte(size_t i) const noexcept { return static_cast<uint8_t>(data_[i]); }

  Bytes data_;
  size_t body_size_ = 0;
};

// A compound packet (one SRTCP payload): every header checked up front, so
// iterating it cannot fail.
class RtcpCompound {
 public:
  static RtcpError parse(Bytes data, RtcpCompound& out) noexcept;

  class Iterator {
   public:
    using value_type = RtcpPacketView;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    explicit Iterator(Bytes rest) noexcept : rest_(rest) { load(); }
    RtcpPacketView operator*() const noexcept { return current_; }
    const RtcpPacketView* operator->() const noexcept { return &current_; }
    Iterator& operator++() noexcept;
    Iterator operator++(int) noexcept {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& other) const noexcept {
      return rest_.size() == other.rest_.size();
    }

   private:
    void load() noexcept;

    Bytes rest_;
    RtcpPacketView current_;
  };

  Iterator begin() const noexcept { return Iterator(data_); }
  Iterator end() const noexcept { return Iterator(); }
  size_t packet_count() const noexcept { return packet_count_; }
  Bytes data() const noexcept { return data_; }

 private:
  Bytes data_;
  size_t packet_count_ = 0;
};

// A reception report block of SR and RR (RFC 3550 §6.4.1).
inline constexpr size_t kReportBlockSize = 24;
struct ReportBlock {
  uint32_t ssrc = 0;            // the source reported on
  uint8_t fraction_lost = 0;    // since the previous report, in 1/256
  int32_t cumulative_lost = 0;  // 24-bit signed on the wire: clamped when written
  uint32_t extended_highest_sequence = 0;
  uint32_t jitter = 0;               // in timestamp units
  uint32_t last_sr = 0;              // middle 32 bits of the last SR's NTP timestamp
  uint32_t delay_since_last_sr = 0;  // in 1/65536 s

  static ReportBlock read(const std::byte* p) noexcept;
  void write(std::byte* p) const noexcept;
  bool operator==(const ReportBlock&) const = default;
};

// Writes an RTCP header for a packet of `size` bytes (a multiple of 4).
void write_rtcp_header(std::byte* p, uint8_t count, uint8_t type, size_t size) noexcept;

// Concatenates RTCP packets into one buffer. Each add() hands the unused
// rest of the buffer to `build` (any build_* function of this folder, which
// returns the size it wrote or 0 when it did not fit); the first 0 marks the
// compound as overflowed and later adds do nothing.
class RtcpCompoundBuilder {
 public:
  explicit RtcpCompoundBuilder(MutableBytes buffer) noexcept : buffer_(buffer) {}

  template <typename Fn>
  bool add(Fn&& build) noexcept {
    if (overflow_) return false;
    const size_t written = build(buffer_.subspan(size_));
    if (written == 0 || written > buffer_.size() - size_) {
      overflow_ = true;
      return false;
    }
    size_ += written;
    return true;
  }

  bool ok() const noexcept { return !overflow_; }
  size_t size() const noexcept { return overflow_ ? 0 : size_; }
  // The finished compound, or empty when something did not fit.
  Bytes bytes() const noexcept { return overflow_ ? Bytes() : Bytes(buffer_.data(), size_); }

 private:
  MutableBytes buffer_;
  size_t size_ = 0;
  bool overflow_ = false;
};

}  // namespace turnd::sfu::rtp
