// Session logs of allocations against a real PostgreSQL: the upserts that make
// replays harmless, crash close-out, and the session-log writer end to end —
// including an outage, where rows go to the journal and arrive exactly once
// when the database is back.
#include "db/allocation_log.h"

#include <unistd.h>

#include <filesystem>

#include "db/participation_log.h"
#include "db/rooms.h"
#include "db_test_util.h"
#include "turnd/server/session_log_writer.h"

namespace turnd::db::testing {
namespace {

AllocationRow start_row(const std::string& id, int64_t started, const std::string& node = "n1") {
  AllocationRow r;
  r.event_id = id;
  r.started_at = started;
  r.node = node;
  r.realm = "example.org";
  r.user_hash = "00112233445566778899aabbccddeeff";
  r.client_prefix = "192.0.2.0/24";
  r.client_transport = "tcp";
  r.client_family = "ipv4";
  r.relay_family = "ipv4";
  return r;
}

AllocationRow end_row(AllocationRow r, int64_t ended, uint64_t bytes) {
  r.ended_at = ended;
  r.end_reason = "expired";
  r.bytes_from_client = bytes;
  r.packets_from_client = bytes / 100;
  return r;
}

constexpr const char* kId1 = "11111111-1111-4111-8111-111111111111";
constexpr const char* kId2 = "22222222-2222-4222-8222-222222222222";

class AllocationLogTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    migrate_all();
    now_ = scalar<int64_t>("SELECT extract(epoch FROM now())::bigint");
  }
  int64_t count(const std::string& where = "true") {
    return scalar<int64_t>("SELECT count(*) FROM allocation_log WHERE " + where);
  }
  int64_t now_ = 0;
};

TEST_F(AllocationLogTest, AStartRowIsCompletedByItsEndRow) {
  AllocationRow start = start_row(kId1, now_ - 60);
  write_allocation_rows(db(), std::span(&start, 1));
  EXPECT_EQ(count("ended_at IS NULL"), 1);
  AllocationRow end = end_row(start, now_, 12345);
  write_allocation_rows(db(), std::span(&end, 1));
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(count("end_reason = 'expired' AND bytes_from_client = 12345 AND "
                  "packets_from_client = 123 AND user_hash = '\\x00112233445566778899aabbccddeeff' "
                  "AND client_prefix = '192.0.2.0/24' AND node = 'n1' AND "
                  "ended_at = to_timestamp(" +
                  std::to_string(now_) + ")"),
            1);
}

TEST_F(AllocationLogTest, ReplaysAndLateStartsChangeNothing) {
  AllocationRow start = start_row(kId1, now_ - 60);
  std::vector<AllocationRow> rows = {start, end_row(start, now_, 500)};
  write_allocation_rows(db(), rows);                  // start and end in one batch: the end wins
  write_allocation_rows(db(), rows);                  // a replay after an outage
  write_allocation_rows(db(), std::span(&start, 1));  // a start arriving late
  AllocationRow other_end = end_row(start, now_ + 10, 999);
  write_allocation_rows(db(), std::span(&other_end, 1));  // an ended row stays as it ended
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(count("bytes_from_client = 500 AND end_reason = 'expired'"), 1);
}

TEST_F(AllocationLogTest, RowsOfDaysWithoutPartitionGetOne) {
  std::vector<AllocationRow> rows = {start_row(kId1, now_ - 3 * 86400),
                                     start_row(kId2, now_ - 2 * 86400)};
  write_allocation_rows(db(), rows);
  EXPECT_EQ(count(), 2);
}

TEST_F(AllocationLogTest, ABadRowFailsItsBatchWithInvalidInput) {
  AllocationRow bad = start_row(kId1, now_);
  bad.client_transport = "carrier-pigeon";
  EXPECT_THROW(write_allocation_rows(db(), std::span(&bad, 1)), InvalidInput);
  EXPECT_EQ(count(), 0);
}

TEST_F(AllocationLogTest, CrashCloseOutTouchesOnlyTheNodesOpenRows) {
  std::vector<AllocationRow> rows = {
      start_row(kId1, now_ - 600, "n1"), start_row(kId2, now_ - 600, "n2"),
      end_row(start_row("33333333-3333-4333-8333-333333333333", now_ - 900, "n1"), now_ - 800, 1)};
  write_allocation_rows(db(), rows);
  EXPECT_EQ(close_crashed_allocations(db(), "n1", now_ - 300), 1);
  EXPECT_EQ(count("end_reason = 'crash' AND node = 'n1' AND "
                  "ended_at = to_timestamp(" +
                  std::to_string(now_ - 300) + ")"),
            1);
  EXPECT_EQ(count("ended_at IS NULL"), 1);  // n2's
  EXPECT_EQ(count("end_reason = 'expired'"), 1);
  EXPECT_EQ(close_crashed_allocations(db(), "n1", now_ - 300), 0);
}

TEST_F(AllocationLogTest, VisitsAreUpsertedAndADeletedRoomLeavesNull) {
  Room room = create_room(db(), {"team", "Team", std::nullopt, std::nullopt, false});
  ParticipationRow join;
  join.event_id = kId1;
  join.joined_at = now_ - 120;
  join.node = "n1";
  join.room_id = room.id;
  join.participant_hash = "00112233445566778899aabbccddeeff";
  join.client_prefix = "198.51.100.0/24";
  ParticipationRow left = join;
  left.left_at = now_;
  left.end_reason = "left";
  left.media_sent = {"audio", "video", "screen"};
  left.bytes_from_participant = 5000;
  write_participation_rows(db(), std::span(&join, 1));
  std::vector<ParticipationRow> both = {join, left};
  write_participation_rows(db(), both);
  write_participation_rows(db(), both);  // replayed
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM participation_log"), 1);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM participation_log WHERE end_reason = 'left' "
                            "AND media_sent = '{audio,video,screen}' AND room_id = " +
                            std::to_string(room.id) + " AND bytes_from_participant = 5000"),
            1);

  ParticipationRow orphan = join;
  orphan.event_id = kId2;
  orphan.room_id = room.id + 1000;  // deleted meanwhile
  write_participation_rows(db(), std::span(&orphan, 1));
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM participation_log WHERE room_id IS NULL"), 1);
  EXPECT_EQ(close_crashed_participations(db(), "n1", now_), 1);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM participation_log WHERE end_reason = 'crash'"),
            1);
}

// --- the writer --------------------------------------------------------------

class SessionLogWriterTest : public AllocationLogTest {
 protected:
  void SetUp() override {
    AllocationLogTest::SetUp();
    state_ = std::filesystem::temp_directory_path() /
             ("turnd-writer-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(state_);
  }
  void TearDown() override {
    std::filesystem::remove_all(state_);
    AllocationLogTest::TearDown();
  }

  server::SessionLogSettings settings(const std::string& database_url) {
    server::SessionLogSettings s;
    s.database_url = database_url;
    s.node = "node-a";
    s.realm = "example.org";
    s.address_mode = config::Config::AddressPseudonym::kBoth;
    s.memory_limit = 2;
    s.state_dir = state_;
    s.poll_interval = std::chrono::milliseconds(10);
    return s;
  }

  std::string unreachable_url() const {
    return "postgresql:///x?host=" + state_.string() + "/none";
  }

  // An allocation as a worker holds it (no link or relay socket needed here).
  std::unique_ptr<turn::Allocation> allocation(uint8_t n) {
    turn::FiveTuple tuple;
    tuple.client = *SocketAddress::parse("192.0.2." + std::to_string(n) + ":40000");
    tuple.transport = turn::ClientTransport::kTls;
    auto a = std::make_unique<turn::Allocation>(tuple, nullptr, "1700000000:alice",
                                                stun::TransactionId{});
    turn::Allocation::SessionId id{};
    id[0] = std::byte{n};
    id[6] = std::byte{0x40};
    id[8] = std::byte{0x80};
    a->set_session(id, clock_.unix_seconds());
    a->traffic().bytes_to_client = 1000u * n;
    return a;
  }

  void wait_until(const std::function<bool()>& done) {
    for (int i = 0; i < 500 && !done(); ++i) ::usleep(10000);
  }

  std::filesystem::path state_;
  SystemClock clock_;
};

TEST_F(SessionLogWriterTest, WritesPseudonymisedRowsAndFlushesOnStop) {
  server::SessionLogQueue queue(clock_);
  server::SessionLogWriter writer(settings(url()), clock_, {&queue});
  writer.start();
  auto a = allocation(7);
  auto b = allocation(8);
  queue.on_allocation_started(*a);
  queue.on_allocation_started(*b);
  wait_until([&] { return writer.stats().written >= 2; });
  EXPECT_EQ(count("ended_at IS NULL"), 2);
  queue.on_allocation_ended(*a, turn::EndReason::kClient);
  queue.on_allocation_ended(*b, turn::EndReason::kShutdown);
  writer.stop();  // flushes without waiting for the next poll
  EXPECT_EQ(count(), 2);
  EXPECT_EQ(count("end_reason = 'client' AND bytes_to_client = 7000"), 1);
  EXPECT_EQ(count("end_reason = 'shutdown' AND bytes_to_client = 8000"), 1);
  EXPECT_EQ(count("client_transport = 'tls' AND node = 'node-a' AND realm = 'example.org' AND "
                  "client_prefix = '192.0.2.0/24' AND length(client_hash) = 16 AND "
                  "length(user_hash) = 16"),
            2);
  // Distinct clients, distinct address hashes; one user behind two REST names.
  EXPECT_EQ(scalar<int64_t>("SELECT count(DISTINCT client_hash) FROM allocation_log"), 2);
  EXPECT_EQ(scalar<int64_t>("SELECT count(DISTINCT user_hash) FROM allocation_log"), 1);
  EXPECT_EQ(count("position('192.0.2.7' in client_hash::text) > 0"), 0);
  EXPECT_TRUE(std::filesystem::exists(state_ / "pseudonym.key"));
  EXPECT_FALSE(std::filesystem::exists(state_ / "session-log.journal"));
}

TEST_F(SessionLogWriterTest, AnOutageGoesToTheJournalAndIsWrittenExactlyOnceLater) {
  constexpr int kAllocations = 20;
  std::vector<std::unique_ptr<turn::Allocation>> all;
  {
    server::SessionLogQueue queue(clock_);
    server::SessionLogWriter down(settings(unreachable_url()), clock_, {&queue});
    down.start();
    for (int i = 1; i <= kAllocations; ++i) {
      all.push_back(allocation(static_cast<uint8_t>(i)));
      queue.on_allocation_started(*all.back());
    }
    wait_until([&] { return down.stats().in_journal >= 3; });  // beyond memory_limit = 2
    EXPECT_GE(down.stats().in_journal, 3u);
    EXPECT_FALSE(down.stats().database_up);
    EXPECT_EQ(down.problem(), "");  // buffering within bounds: healthy
    for (int i = 0; i < kAllocations / 2; ++i) {
      queue.on_allocation_ended(*all[i], turn::EndReason::kExpired);
    }
    down.stop(std::chrono::seconds(0));
    EXPECT_EQ(down.stats().in_journal, static_cast<uint64_t>(kAllocations + kAllocations / 2));
    EXPECT_EQ(down.stats().lost, 0u);
  }
  EXPECT_EQ(count(), 0);
  ASSERT_TRUE(std::filesystem::exists(state_ / "session-log.journal"));

  // The next run finds the database: the journal goes in, exactly once; the
  // sessions the first run left open are closed as crashed (it never ended them).
  server::SessionLogQueue queue(clock_);
  server::SessionLogWriter up(settings(url()), clock_, {&queue});
  EXPECT_EQ(up.stats().in_journal, static_cast<uint64_t>(kAllocations + kAllocations / 2));
  up.start();
  auto fresh = allocation(200);
  queue.on_allocation_started(*fresh);
  wait_until([&] { return up.stats().written >= kAllocations + kAllocations / 2 + 1; });
  up.stop();
  EXPECT_FALSE(std::filesystem::exists(state_ / "session-log.journal"));
  EXPECT_EQ(up.stats().in_journal, 0u);
  EXPECT_EQ(count(), kAllocations + 1);
  EXPECT_EQ(count("end_reason = 'expired'"), kAllocations / 2);
  EXPECT_EQ(count("end_reason = 'crash'"), kAllocations / 2);
  EXPECT_EQ(up.stats().closed_after_crash, static_cast<uint64_t>(kAllocations / 2));
  EXPECT_EQ(count("ended_at IS NULL"), 1);  // this run's own session is spared
}

// A long outage cannot fill the disk: the journal stops at its limit, rows
// then wait in memory up to 10 × memory_limit, and the oldest beyond are
// lost, counted, and reported (issue 11, class 7).
TEST_F(SessionLogWriterTest, TheJournalIsCapped) {
  server::SessionLogSettings s = settings(unreachable_url());
  s.journal_limit = 6;
  server::SessionLogQueue queue(clock_);
  server::SessionLogWriter down(s, clock_, {&queue});
  down.start();
  std::vector<std::unique_ptr<turn::Allocation>> all;
  for (int i = 1; i <= 40; ++i) {
    all.push_back(allocation(static_cast<uint8_t>(i)));
    queue.on_allocation_started(*all.back());
  }
  wait_until([&] {
    const auto& st = down.stats();
    return st.in_journal + st.in_memory + st.lost == 40u;
  });
  EXPECT_TRUE(down.stats().journal_full);
  EXPECT_GT(down.stats().lost, 0u);
  EXPECT_FALSE(down.stats().journal_failing);
  EXPECT_LE(down.stats().in_journal, 6u);
  EXPECT_EQ(down.stats().in_memory, 2u * 10);  // memory_limit 2, then the hard limit
  EXPECT_EQ(down.stats().in_journal + down.stats().in_memory + down.stats().lost, 40u);
  EXPECT_NE(down.problem().find("journal full"), std::string::npos) << down.problem();
  down.stop(std::chrono::seconds(0));
  EXPECT_EQ(server::SessionJournal(state_ / "session-log.journal").read_all().size(),
            down.stats().in_journal);
}

TEST_F(SessionLogWriterTest, VisitsGoThroughTheSameWriterPseudonymised) {
  Room room = create_room(db(), {"team", "Team", std::nullopt, std::nullopt, false});
  server::SessionLogQueue sfu(clock_);
  server::SessionLogWriter writer(settings(url()), clock_, {&sfu});
  writer.start();
  server::ParticipationEvent e;
  e.id[0] = std::byte{1};
  e.id[6] = std::byte{0x40};
  e.id[8] = std::byte{0x80};
  e.room_id = room.id;
  e.name = "Alice Example";
  e.client = *SocketAddress::parse("198.51.100.23:50000");
  e.joined_at = clock_.unix_seconds();
  sfu.on_participation(e);
  e.left_at = e.joined_at;
  e.end_reason = "kicked";
  e.media_sent = {"audio"};
  sfu.on_participation(e);
  writer.stop();
  EXPECT_EQ(
      scalar<int64_t>("SELECT count(*) FROM participation_log WHERE end_reason = 'kicked' "
                      "AND client_prefix = '198.51.100.0/24' AND length(participant_hash) = 16 "
                      "AND length(client_hash) = 16 AND node = 'node-a'"),
      1);
}

TEST_F(SessionLogWriterTest, WithoutAJournalAnOutageBeyondMemoryIsUnhealthy) {
  server::SessionLogSettings s = settings(unreachable_url());
  s.state_dir.clear();
  server::SessionLogQueue queue(clock_);
  server::SessionLogWriter writer(s, clock_, {&queue});
  writer.start();
  std::vector<std::unique_ptr<turn::Allocation>> all;
  for (int i = 1; i <= 3; ++i) {
    all.push_back(allocation(static_cast<uint8_t>(i)));
    queue.on_allocation_started(*all.back());
  }
  wait_until([&] { return writer.stats().in_memory >= 3; });
  EXPECT_NE(writer.problem().find("database unreachable"), std::string::npos) << writer.problem();
  writer.stop(std::chrono::seconds(0));
}

}  // namespace
}  // namespace turnd::db::testing
