// Views and builders for the RTCP reports of RFC 3550 §6.4–6.6: sender
// report, receiver report, SDES (CNAME is the only item an SFU needs) and
// BYE. Views are parsed from an RtcpPacketView and point into it; builders
// write into a caller buffer and return the size written, 0 when it does not
// fit or the input cannot be encoded. No allocation, no exceptions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sfu/rtp/rtcp.h"

namespace turnd::sfu::rtp {

inline constexpr uint8_t kSdesCname = 1;
inline constexpr size_t kSenderInfoSize = 20;

struct SenderInfo {
  uint64_t ntp_timestamp = 0;  // NTP format: seconds since 1900 << 32 | fraction
  uint32_t rtp_timestamp = 0;
  uint32_t packet_count = 0;
  uint32_t octet_count = 0;
  bool operator==(const SenderInfo&) const = default;
};

// The "LSR" of a report block: the middle 32 bits of an NTP timestamp.
constexpr uint32_t compact_ntp(uint64_t ntp) noexcept {
  return static_cast<uint32_t>(ntp >> 16);
}

class SenderReportView {
 public:
  static RtcpError parse(const RtcpPacketView& packet, SenderReportView& out) noexcept;

  uint32_t sender_ssrc() const noexcept { return load_be32(body_.data()); }
  SenderInfo sender_info() const noexcept;
  size_t report_count() const noexcept { return count_; }
  ReportBlock report(size_t i) const noexcept {
    return ReportBlock::read(body_.data() + 4 + kSenderInfoSize + i * kReportBlockSize);
  }

 private:
  Bytes body_;
  size_t count_ = 0;
};

class ReceiverReportView {
 public:
  static RtcpError parse(const RtcpPacketView& packet, ReceiverReportView& out) noexcept;

  uint32_t sender_ssrc() const noexcept { return load_be32(body_.data()); }
  size_t report_count() const noexcept { return count_; }
  ReportBlock report(size_t i) const noexcept {
    return ReportBlock::read(body_.data() + 4 + i * kReportBlockSize);
  }

 private:
  Bytes body_;
  size_t count_ = 0;
};

// SDES: parse checks every chunk's items and terminator (§6.5).
class SdesView {
 public:
  static RtcpError parse(const RtcpPacketView& packet, SdesView& out) noexcept;

  size_t chunk_count() const noexcept { return count_; }
  // Calls fn(uint32_t ssrc, uint8_t item_type, std::string_view text) for
  // every item of every chunk; stops when fn returns false.
  template <typename Fn>
  void for_each_item(Fn&& fn) const noexcept;
  // The CNAME of `ssrc`, if a chunk for it carries one.
  std::optional<std::string_view> cname(uint32_t ssrc) const noexcept;

 private:
  // Walks the chunks; false when one is malformed.
  template <typename Fn>
  static bool walk(Bytes body, size_t chunks, Fn&& fn) noexcept;

  Bytes body_;
  size_t count_ = 0;
};

class ByeView {
 public:
  static RtcpError parse(const RtcpPacketView& packet, ByeView& out) noexcept;

  size_t ssrc_count() const noexcept { return count_; }
  uint32_t ssrc(size_t i) const noexcept { return load_be32(body_.data() + 4 * i); }
  std::string_view reason() const noexcept { return reason_; }

 private:
  Bytes body_;
  size_t count_ = 0;
  std::string_view reason_;
};

// Builders. At most 31 report blocks / SSRCs (the 5-bit count).
size_t build_sender_report(MutableBytes out, uint32_t sender_ssrc, const SenderInfo& info,
                           std::span<const ReportBlock> reports = {}) noexcept;
size_t build_receiver_report(MutableBytes out, uint32_t sender_ssrc,
                             std::span<const ReportBlock> reports = {}) noexcept;
// One chunk with one CNAME item (at most 255 bytes).
size_t build_sdes_cname(MutableBytes out, uint32_t ssrc, std::string_view cname) noexcept;
size_t build_bye(MutableBytes out, std::span<const uint32_t> ssrcs,
                 std::string_view reason = {}) noexcept;

// --- inline templates ----------------------------------------------------------

template <typename Fn>
bool SdesView::walk(Bytes body, size_t chunks, Fn&& fn) noexcept {
  size_t o = 0;
  for (size_t c = 0; c < chunks; ++c) {
    if (o + 4 > body.size()) return false;
    const uint32_t ssrc = load_be32(body.data() + o);
    o += 4;
    while (true) {
      if (o >= body.size()) return false;  // no null item before the end
      const auto type = static_cast<uint8_t>(body[o]);
      if (type == 0) {
        o = pad4(o + 1);  // null item, then zero padding to the next word
        if (o > body.size()) return false;
        break;
      }
      if (o + 2 > body.size()) return false;
      const size_t length = static_cast<uint8_t>(body[o + 1]);
      if (o + 2 + length > body.size()) return false;
      fn(ssrc, type, as_string(body.subspan(o + 2, length)));
      o += 2 + length;
    }
  }
  return true;
}

template <typename Fn>
void SdesView::for_each_item(Fn&& fn) const noexcept {
  bool go = true;
  walk(body_, count_, [&](uint32_t ssrc, uint8_t type, std::string_view text) {
    if (go) go = fn(ssrc, type, text);
  });
}

}  // namespace turnd::sfu::rtp
