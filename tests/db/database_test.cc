// db::Database against the real PostgreSQL: nothing waits forever (issue 11,
// class 7) — statements are cancelled after the statement timeout, and a
// server that accepts but never answers makes the connection give up.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "tests/db/db_test_util.h"

namespace turnd::db::testing {
namespace {

using DatabaseTest = DbTest;

TEST_F(DatabaseTest, TheStatementTimeoutCancelsALongStatement) {
  Database db(url(), "db_tests", {std::chrono::seconds(5), std::chrono::milliseconds(300)});
  try {
    transact(db, [](pqxx::work& w) { w.exec("SELECT pg_sleep(5)"); });
    FAIL() << "pg_sleep(5) was not cancelled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("statement timeout"), std::string::npos) << e.what();
  }
  // The connection is still usable.
  EXPECT_EQ(transact(db, [](pqxx::work& w) { return w.exec1("SELECT 1")[0].as<int>(); }), 1);
}

TEST_F(DatabaseTest, TheDaemonsConnectionsHaveAStatementTimeout) {
  Database db(url(), "db_tests", kDaemonTimeouts);
  auto value = transact(
      db, [](pqxx::work& w) { return w.exec1("SHOW statement_timeout")[0].as<std::string>(); });
  EXPECT_EQ(value, "30s");
}

// A listening socket nobody answers on: the TCP handshake completes (the
// kernel's backlog), then libpq waits for the server's reply until its
// connect timeout (ctest's own timeout fails the test if it never comes).
TEST(DatabaseConnect, AServerThatNeverAnswersIsGivenUpOn) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof(a);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  std::string url =
      "postgresql://nobody@127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/nothing";
  EXPECT_THROW(Database(url, "db_tests", {std::chrono::seconds(2), {}}), ConnectError);
  ::close(fd);
}

}  // namespace
}  // namespace turnd::db::testing
