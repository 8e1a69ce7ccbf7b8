// PRIORITY: round trip through the builder and the view, wire form, bad length.
#include "turnd/stun/attr/priority.h"

#include <gtest/gtest.h>

#include <array>

namespace turnd::stun {
namespace {

constexpr std::array<std::byte, kTransactionIdSize> kTid{};

TEST(PriorityAttr, RoundTrip) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  Priority{0x6E0001FF}.add_to(b);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b.size(), kHeaderSize + 8);
  EXPECT_EQ(load_be16(buffer.data() + 20), attr::kPriority);
  EXPECT_EQ(load_be16(buffer.data() + 22), 4);
  EXPECT_EQ(load_be32(buffer.data() + 24), 0x6E0001FFu);

  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  Priority priority;
  ASSERT_EQ(Priority::get_from(view, priority), DecodeStatus::kOk);
  EXPECT_EQ(priority.value, 0x6E0001FFu);
}

TEST(PriorityAttr, AbsentAndMalformed) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  Priority priority;
  EXPECT_EQ(Priority::get_from(view, priority), DecodeStatus::kAbsent);

  std::array<std::byte, 8> eight{};
  b.add(attr::kPriority, eight);
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  EXPECT_EQ(Priority::get_from(view, priority), DecodeStatus::kMalformed);
}

}  // namespace
}  // namespace turnd::stun
