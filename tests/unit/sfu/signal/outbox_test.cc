// Outbox: messages in order behind their headroom, and the byte bound that
// drops a client that does not read.
#include "sfu/signal/outbox.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace turnd::sfu::signal {
namespace {

std::string front(Outbox& o) {
  return std::string(o.front_payload(), o.front_size());
}

TEST(Outbox, KeepsOrderAndHeadroom) {
  Outbox o(16, 1024);
  EXPECT_TRUE(o.empty());
  ASSERT_TRUE(o.push("one"));
  ASSERT_TRUE(o.push("two"));
  ASSERT_TRUE(o.push(""));
  EXPECT_EQ(o.size(), 3u);
  EXPECT_EQ(o.queued_bytes(), 6u);
  EXPECT_EQ(front(o), "one");
  // The headroom in front of the payload is writable scratch space.
  std::fill(o.front_payload() - 16, o.front_payload(), 'h');
  EXPECT_EQ(front(o), "one");
  o.pop();
  EXPECT_EQ(front(o), "two");
  o.pop();
  EXPECT_EQ(front(o), "");
  o.pop();
  EXPECT_TRUE(o.empty());
  EXPECT_EQ(o.queued_bytes(), 0u);
}

TEST(Outbox, RefusesPastTheBound) {
  Outbox o(4, 10);
  EXPECT_TRUE(o.push("12345"));
  EXPECT_TRUE(o.push("67890"));  // exactly at the bound
  EXPECT_FALSE(o.push("x"));
  EXPECT_EQ(o.size(), 2u);
  EXPECT_EQ(o.queued_bytes(), 10u);
  o.pop();
  EXPECT_TRUE(o.push("abcde"));  // room again once one left
  EXPECT_FALSE(o.push(std::string(11, 'y')));
  o.clear();
  EXPECT_TRUE(o.empty());
  EXPECT_EQ(o.queued_bytes(), 0u);
  EXPECT_FALSE(o.push(std::string(11, 'y')));  // bigger than the bound on its own
}

}  // namespace
}  // namespace turnd::sfu::signal
