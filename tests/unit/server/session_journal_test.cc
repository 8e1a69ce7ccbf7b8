#include "turnd/server/session_journal.h"

#include <gtest/gtest.h>

#include <fstream>

namespace turnd::server {
namespace {

db::AllocationRow row(int n, bool ended) {
  db::AllocationRow r;
  r.event_id = "00000000-0000-4000-8000-00000000000" + std::to_string(n);
  r.started_at = 1700000000 + n;
  if (ended) {
    r.ended_at = 1700000100 + n;
    r.end_reason = "expired";
  }
  r.node = "node\twith\\odd\nname";
  r.realm = "example.org";
  r.user_hash = "00112233445566778899aabbccddeeff";
  r.client_prefix = "192.0.2.0/24";
  r.client_transport = "tcp";
  r.client_family = "ipv4";
  r.relay_family = "dual";
  r.bytes_from_client = 123456789012ull;
  r.packets_to_client = 7;
  return r;
}

db::ParticipationRow visit(int n, bool left) {
  db::ParticipationRow r;
  r.event_id = "00000000-0000-4000-8000-10000000000" + std::to_string(n);
  r.joined_at = 1700000000 + n;
  if (left) {
    r.left_at = 1700000500 + n;
    r.end_reason = "kicked";
    r.media_sent = {"audio", "screen"};
    r.bytes_from_participant = 99;
  }
  r.node = "n";
  r.room_id = 42;
  r.participant_hash = "ffeeddccbbaa99887766554433221100";
  r.client_hash = "00112233445566778899aabbccddeeff";
  r.moderator = n % 2 == 1;
  return r;
}

class SessionJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("turnd-journal-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
            "session-log.journal";
    std::filesystem::remove_all(file_.parent_path());
  }
  void TearDown() override { std::filesystem::remove_all(file_.parent_path()); }
  std::filesystem::path file_;
};

TEST(JournalLine, RoundTripsEveryField) {
  for (bool ended : {false, true}) {
    SessionRow r = row(1, ended);
    std::string line = journal_line(r);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    auto back = parse_journal_line(line);
    ASSERT_TRUE(back.has_value()) << line;
    EXPECT_EQ(*back, r);
    SessionRow v = visit(1, ended);
    line = journal_line(v);
    back = parse_journal_line(line);
    ASSERT_TRUE(back.has_value()) << line;
    EXPECT_EQ(*back, v);
  }
  db::ParticipationRow no_room = visit(2, true);
  no_room.room_id.reset();
  EXPECT_EQ(parse_journal_line(journal_line(no_room)), SessionRow(no_room));
}

TEST(JournalLine, RefusesBrokenLines) {
  std::string good = journal_line(row(1, true));
  std::string good_visit = journal_line(visit(1, true));
  EXPECT_FALSE(parse_journal_line("P1" + good.substr(2)));
  EXPECT_FALSE(parse_journal_line(good_visit + "\textra"));
  EXPECT_FALSE(parse_journal_line(""));
  EXPECT_FALSE(parse_journal_line("B1" + good.substr(2)));
  EXPECT_FALSE(parse_journal_line(good.substr(0, good.size() - 3) + "\tx"));
  EXPECT_FALSE(parse_journal_line(good + "\textra"));
}

TEST_F(SessionJournalTest, AppendsReadsInOrderAndClears) {
  SessionJournal j(file_);
  EXPECT_TRUE(j.empty());
  std::vector<SessionRow> first = {row(1, false), visit(2, true)};
  std::vector<SessionRow> second = {row(3, true)};
  ASSERT_TRUE(j.append(first));
  ASSERT_TRUE(j.append(second));
  EXPECT_FALSE(j.empty());
  auto rows = j.read_all();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], first[0]);
  EXPECT_EQ(rows[1], first[1]);
  EXPECT_EQ(rows[2], second[0]);
  j.clear();
  EXPECT_TRUE(j.empty());
  EXPECT_TRUE(j.read_all().empty());
}

TEST_F(SessionJournalTest, ATornLastLineAndGarbageAreSkipped) {
  SessionJournal j(file_);
  std::vector<SessionRow> rows = {row(1, true)};
  ASSERT_TRUE(j.append(rows));
  {
    std::ofstream out(file_, std::ios::app);
    out << "not a row\n" << journal_line(row(2, true)).substr(0, 20);  // crash mid-write
  }
  size_t unreadable = 0;
  auto back = j.read_all(&unreadable);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0], rows[0]);
  EXPECT_EQ(unreadable, 1u);
}

TEST_F(SessionJournalTest, AppendFailsWhereNothingCanBeWritten) {
  SessionJournal j("/proc/turnd-cannot-write-here/session-log.journal");
  std::vector<SessionRow> rows = {row(1, true)};
  EXPECT_FALSE(j.append(rows));
}

}  // namespace
}  // namespace turnd::server
