// log::printable: what a client sent never breaks a log line.
#include <gtest/gtest.h>

#include <string>

#include "turnd/common/log.h"

namespace turnd::log {
namespace {

TEST(LogPrintable, KeepsPrintableAsciiAndEscapesEverythingElse) {
  EXPECT_EQ(printable("https://meet.example.org"), "https://meet.example.org");
  EXPECT_EQ(printable("evil\r\ninfo: [sfu] p1 joined"), "evil\\x0d\\x0ainfo: [sfu] p1 joined");
  EXPECT_EQ(printable("a\\b\x1b[31m"), "a\\x5cb\\x1b[31m");
  EXPECT_EQ(printable("Gr\xc3\xbc\xc3\x9f"), "Gr\\xc3\\xbc\\xc3\\x9f");
  EXPECT_EQ(printable(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(printable(std::string(500, 'a'), 10), "aaaaaaaaaa...");
  EXPECT_EQ(printable(""), "");
}

}  // namespace
}  // namespace turnd::log
