// ICE-CONTROLLING: a 64-bit tie-breaker in network order; any other length is malformed.
#include "turnd/stun/attr/ice_controlling.h"

#include <gtest/gtest.h>

#include <array>

namespace turnd::stun {
namespace {

constexpr std::array<std::byte, kTransactionIdSize> kTid{};

TEST(IceControllingAttr, RoundTrip) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  IceControlling{0x932FF9B151263B36ull}.add_to(b);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b.size(), kHeaderSize + 12);
  EXPECT_EQ(load_be16(buffer.data() + 20), attr::kIceControlling);
  EXPECT_EQ(load_be16(buffer.data() + 22), 8);
  EXPECT_EQ(load_be32(buffer.data() + 24), 0x932FF9B1u);
  EXPECT_EQ(load_be32(buffer.data() + 28), 0x51263B36u);

  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  IceControlling role;
  ASSERT_EQ(IceControlling::get_from(view, role), DecodeStatus::kOk);
  EXPECT_EQ(role.tie_breaker, 0x932FF9B151263B36ull);
}

TEST(IceControllingAttr, OtherRoleIsNotThisOne) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  TieBreakerAttribute<attr::kIceControlled>{42}.add_to(b);
  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  IceControlling role;
  EXPECT_EQ(IceControlling::get_from(view, role), DecodeStatus::kAbsent);
}

TEST(IceControllingAttr, WrongLengthIsMalformed) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  b.add_u32(attr::kIceControlling, 7);
  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  IceControlling role;
  EXPECT_EQ(IceControlling::get_from(view, role), DecodeStatus::kMalformed);
}

}  // namespace
}  // namespace turnd::stun
