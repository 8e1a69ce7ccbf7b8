// USE-CANDIDATE: an empty attribute; a value makes it malformed.
#include "turnd/stun/attr/use_candidate.h"

#include <gtest/gtest.h>

#include <array>

namespace turnd::stun {
namespace {

constexpr std::array<std::byte, kTransactionIdSize> kTid{};

TEST(UseCandidateAttr, RoundTrip) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  MessageView view;
  UseCandidate use;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  EXPECT_EQ(UseCandidate::get_from(view, use), DecodeStatus::kAbsent);

  UseCandidate{}.add_to(b);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b.size(), kHeaderSize + 4);
  EXPECT_EQ(load_be16(buffer.data() + 20), attr::kUseCandidate);
  EXPECT_EQ(load_be16(buffer.data() + 22), 0);
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  EXPECT_EQ(UseCandidate::get_from(view, use), DecodeStatus::kOk);
}

TEST(UseCandidateAttr, ValueIsMalformed) {
  std::array<std::byte, 64> buffer{};
  MessageBuilder b(buffer, Method::kBinding, MessageClass::kRequest, kTid);
  b.add_u32(attr::kUseCandidate, 1);
  MessageView view;
  ASSERT_EQ(MessageView::parse(b.bytes(), view), ParseResult::kOk);
  UseCandidate use;
  EXPECT_EQ(UseCandidate::get_from(view, use), DecodeStatus::kMalformed);
}

}  // namespace
}  // namespace turnd::stun
