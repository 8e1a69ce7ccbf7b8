// ICE-CONTROLLED: a 64-bit tie-breaker in network order; any other length is malformed.
#include "turnd/stun/attr/ice_controlled.h"

#include <gtest/gtest.h>

#include <array>

namespace turnd::stun {
namespace {

constexpr std::array<std::byte, kTransactionIdSize> kTid{};

TEST(IceControlledAttr, RoundTrip) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  IceControlled{0x932FF9B151263B36ull}.add_to(b);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b.size(), kHeaderSize + 12);
  EXPECT_EQ(load_be16(buffer.data() + 20), attr::kIceControlled);
  EXPECT_EQ(load_be16(buffer.data() + 22), 8);
  EXPECT_EQ(load_be32(buffer.data() + 24), 0x932FF9B1u);
  EXPECT_EQ(load_be32(buffer.data() + 28), 0x51263B36u);

  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  IceControlled role;
  ASSERT_EQ(IceControlled::get_from(view, role), DecodeStatus::kOk);
  EXPECT_EQ(role.tie_breaker, 0x932FF9B151263B36ull);
}

TEST(IceControlledAttr, OtherRoleIsNotThisOne) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  TieBreakerAttribute<attr::kIceControlling>{42}.add_to(b);
  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  IceControlled role;
  EXPECT_EQ(IceControlled::get_from(view, role), DecodeStatus::kAbsent);
}

TEST(IceControlledAttr, WrongLengthIsMalformed) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  b.add_u32(attr::kIceControlled, 7);
  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  IceControlled role;
  EXPECT_EQ(IceControlled::get_from(view, role), DecodeStatus::kMalformed);
}

}  // namespace
}  // namespace turnd::stun
