#include "turnd/common/spsc_ring.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace turnd {
namespace {

TEST(SpscRing, FifoUpToCapacityThenRefuses) {
  SpscRing<std::string> ring(3);
  EXPECT_EQ(ring.capacity(), 3u);
  std::string a = "a", b = "b", c = "c", d = "d";
  EXPECT_TRUE(ring.push(a));
  EXPECT_TRUE(ring.push(b));
  EXPECT_TRUE(ring.push(c));
  EXPECT_FALSE(ring.push(d));
  EXPECT_EQ(d, "d");  // left to the producer
  EXPECT_EQ(ring.size(), 3u);
  EXPECT_EQ(ring.pop(), "a");
  EXPECT_TRUE(ring.push(d));  // wraps around
  EXPECT_EQ(ring.pop(), "b");
  EXPECT_EQ(ring.pop(), "c");
  EXPECT_EQ(ring.pop(), "d");
  EXPECT_FALSE(ring.pop().has_value());
  EXPECT_EQ(ring.size(), 0u);
}

TEST(SpscRing, TwoThreadsLoseNothingAndKeepOrder) {
  constexpr uint64_t kCount = 200000;
  SpscRing<uint64_t> ring(64);
  std::thread producer([&] {
    for (uint64_t i = 1; i <= kCount;) {
      uint64_t v = i;
      if (ring.push(v)) ++i;
    }
  });
  uint64_t expected = 1;
  while (expected <= kCount) {
    if (auto v = ring.pop()) {
      ASSERT_EQ(*v, expected);
      ++expected;
    }
  }
  producer.join();
  EXPECT_FALSE(ring.pop().has_value());
}

}  // namespace
}  // namespace turnd
