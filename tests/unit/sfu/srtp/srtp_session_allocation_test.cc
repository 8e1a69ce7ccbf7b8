// SrtpSession's per-packet path allocates nothing (the house rule for the
// media thread): protect/unprotect of RTP and RTCP, for both profiles, and
// the failures an attacker can cause (tampered, replayed) — counted with
// bench/alloc_count.h on this thread, after each SSRC's first packet (libsrtp
// makes a stream per SSRC then: per stream, not per packet). Nothing is left
// on OpenSSL's error queue either, which the DTLS code on the same thread
// reads. SrtpSessions on several threads at once each work on their own.
#include <gtest/gtest.h>
#include <openssl/err.h>

#include <array>
#include <cstdlib>
#include <thread>
#include <vector>

#include "bench/alloc_count.h"
#include "sfu/srtp/srtp_session.h"

namespace turnd::sfu::srtp {
namespace {

using turnd::sfu::bench::allocations_counted;
using turnd::sfu::bench::count_allocations;

#ifndef TURND_ALLOCATIONS_UNCOUNTED
// Whether alloc_count.cc sees this thread's allocations: it must in every
// build but the sanitizer ones (TURND_ALLOCATIONS_UNCOUNTED), where the
// allocation tests below are not built at all (ASan's allocator is its own).
bool allocations_are_counted() {
  void* (*volatile allocate)(size_t) = std::malloc;  // not elided by the compiler
  uint64_t before = allocations_counted();
  count_allocations(true);
  void* p = allocate(16);
  count_allocations(false);
  std::free(p);
  return allocations_counted() != before;
}

#endif

SrtpSessionConfig config(SrtpProfile profile, SrtpDirection direction) {
  SrtpSessionConfig c;
  c.profile = profile;
  c.direction = direction;
  for (size_t i = 0; i < c.master_key.size(); ++i) c.master_key[i] = std::byte(0x21 + i);
  for (size_t i = 0; i < c.master_salt.size(); ++i) c.master_salt[i] = std::byte(0x51 + i);
  return c;
}

struct Packet {
  alignas(4) std::array<std::byte, 1600> buffer{};
  size_t length = 0;
};

Packet rtp(uint16_t seq, uint32_t ssrc, size_t payload) {
  Packet p;
  p.buffer[0] = std::byte{0x80};
  p.buffer[1] = std::byte{96};
  store_be16(p.buffer.data() + 2, seq);
  store_be32(p.buffer.data() + 4, 3000u * seq);
  store_be32(p.buffer.data() + 8, ssrc);
  for (size_t i = 0; i < payload; ++i) p.buffer[12 + i] = std::byte(i);
  p.length = 12 + payload;
  return p;
}

Packet rtcp(uint32_t ssrc) {
  Packet p;
  p.buffer[0] = std::byte{0x81};
  p.buffer[1] = std::byte{201};
  store_be16(p.buffer.data() + 2, 7);
  store_be32(p.buffer.data() + 4, ssrc);
  p.length = 32;
  return p;
}

// One media thread's worth of SRTP: both directions, RTP and RTCP.
struct Endpoints {
  SrtpSession out, in;
  Endpoints(const SrtpLibrary& library, SrtpProfile profile)
      : out(library, config(profile, SrtpDirection::kOutbound)),
        in(library, config(profile, SrtpDirection::kInbound)) {}

  // Protects and unprotects one RTP and one RTCP packet; true when all
  // four operations succeed and give back the plaintext length.
  bool round_trip(uint16_t seq, uint32_t ssrc, size_t payload) {
    Packet p = rtp(seq, ssrc, payload);
    size_t plain = p.length;
    SrtpResult r = out.protect_rtp(p.buffer, p.length);
    if (!r.ok() || !(r = in.unprotect_rtp(p.buffer, r.length)).ok() || r.length != plain) {
      return false;
    }
    Packet c = rtcp(ssrc);
    r = out.protect_rtcp(c.buffer, c.length);
    return r.ok() && (r = in.unprotect_rtcp(c.buffer, r.length)).ok() && r.length == 32;
  }
};

#ifndef TURND_ALLOCATIONS_UNCOUNTED
class NoAllocationPerPacket : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  SrtpLibrary library_;
};

TEST_P(NoAllocationPerPacket, ProtectAndUnprotect) {
  ASSERT_TRUE(allocations_are_counted()) << "bench/alloc_count.cc sees no allocation";
  Endpoints e(library_, GetParam());
  const uint32_t ssrcs[] = {0x1000, 0x2000, 0x3000};
  for (uint32_t ssrc : ssrcs) ASSERT_TRUE(e.round_trip(1, ssrc, 100));  // streams made

  uint64_t before = allocations_counted();
  count_allocations(true);
  bool all_ok = true;
  for (uint16_t seq = 2; seq < 200; ++seq) {
    for (uint32_t ssrc : ssrcs) all_ok &= e.round_trip(seq, ssrc, seq % 2 ? 1200 : 100);
  }
  count_allocations(false);
  EXPECT_TRUE(all_ok);
  EXPECT_EQ(allocations_counted() - before, 0u);
}

TEST_P(NoAllocationPerPacket, RejectedPackets) {
  ASSERT_TRUE(allocations_are_counted()) << "bench/alloc_count.cc sees no allocation";
  Endpoints e(library_, GetParam());
  ASSERT_TRUE(e.round_trip(1, 0x1000, 100));
  Packet p = rtp(2, 0x1000, 100);
  SrtpResult r = e.out.protect_rtp(p.buffer, p.length);
  ASSERT_TRUE(r.ok());
  const size_t length = r.length;
  Packet replay = p, tampered = rtp(3, 0x1000, 100), stranger = rtp(2, 0x9999, 100);
  ASSERT_TRUE(e.out.protect_rtp(tampered.buffer, tampered.length).ok());
  tampered.buffer[30] ^= std::byte{1};
  ASSERT_TRUE(e.out.protect_rtp(stranger.buffer, stranger.length).ok());  // a new SSRC
  stranger.buffer[40] ^= std::byte{1};
  ASSERT_TRUE(e.in.unprotect_rtp(p.buffer, length).ok());

  ERR_clear_error();
  uint64_t before = allocations_counted();
  count_allocations(true);
  SrtpStatus replayed = e.in.unprotect_rtp(replay.buffer, length).status;
  SrtpStatus forged = e.in.unprotect_rtp(tampered.buffer, length).status;
  SrtpStatus unknown = e.in.unprotect_rtp(stranger.buffer, length).status;
  count_allocations(false);
  EXPECT_EQ(replayed, SrtpStatus::kReplayed);
  EXPECT_EQ(forged, SrtpStatus::kAuthFailed);
  EXPECT_EQ(unknown, SrtpStatus::kAuthFailed);
  EXPECT_EQ(allocations_counted() - before, 0u);
  EXPECT_EQ(ERR_peek_error(), 0u);
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, NoAllocationPerPacket,
                         ::testing::Values(SrtpProfile::kAeadAes128Gcm,
                                           SrtpProfile::kAes128CmHmacSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::kAeadAes128Gcm ? "Gcm" : "CmSha1_80";
                         });
#endif  // TURND_ALLOCATIONS_UNCOUNTED

// Sessions made and used on four threads at once (the cipher instances are
// per session; the kernel is only read after SrtpLibrary started it).
TEST(SrtpSessionThreads, SessionsOnSeveralThreadsAtOnce) {
  SrtpLibrary library;
  std::array<bool, 4> ok{};
  std::vector<std::thread> threads;
  for (size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&library, &ok, t] {
      bool good = true;
      for (int round = 0; round < 20; ++round) {
        Endpoints gcm(library, SrtpProfile::kAeadAes128Gcm);
        Endpoints cm(library, SrtpProfile::kAes128CmHmacSha1_80);
        for (uint16_t seq = 1; seq < 50; ++seq) {
          good &= gcm.round_trip(seq, static_cast<uint32_t>(t + 1), 200);
          good &= cm.round_trip(seq, static_cast<uint32_t>(t + 1), 200);
        }
      }
      ok[t] = good;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (bool good : ok) EXPECT_TRUE(good);
}

}  // namespace
}  // namespace turnd::sfu::srtp
