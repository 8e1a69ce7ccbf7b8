// Rooms and their access codes against a real PostgreSQL.
#include "db/rooms.h"

#include "db/code_hash.h"
#include "db/errors.h"
#include "db_test_util.h"

namespace turnd::db::testing {
namespace {

class RoomsTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    migrate_all();
  }
};

TEST_F(RoomsTest, CreateListShowDelete) {
  NewRoom maths{"maths-101", "Maths 101", 30, std::nullopt, false};
  Room created = create_room(db(), maths);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.slug, "maths-101");
  EXPECT_EQ(created.display_name, "Maths 101");
  EXPECT_EQ(created.max_participants, 30);
  EXPECT_FALSE(created.recording_allowed);
  EXPECT_FALSE(created.expires_at);
  EXPECT_TRUE(created.participant_code_hash.empty());
  EXPECT_TRUE(created.moderator_code_hash.empty());
  EXPECT_GT(created.created_at, 1'600'000'000);

  create_room(db(), {"a-room", "", std::nullopt, 4'102'444'800, true});
  auto rooms = list_rooms(db());
  ASSERT_EQ(rooms.size(), 2u);
  EXPECT_EQ(rooms[0].slug, "a-room");
  EXPECT_EQ(rooms[0].expires_at, 4'102'444'800);
  EXPECT_TRUE(rooms[0].recording_allowed);
  EXPECT_FALSE(rooms[0].max_participants);
  EXPECT_EQ(rooms[1].slug, "maths-101");

  auto shown = find_room(db(), "maths-101");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->id, created.id);
  EXPECT_FALSE(find_room(db(), "nope"));

  delete_room(db(), "maths-101");
  EXPECT_FALSE(find_room(db(), "maths-101"));
  EXPECT_EQ(list_rooms(db()).size(), 1u);
}

TEST_F(RoomsTest, RecordingIsOffByDefaultInTheSchema) {
  sql("INSERT INTO rooms (slug) VALUES ('plain')");
  EXPECT_FALSE(find_room(db(), "plain")->recording_allowed);
}

TEST_F(RoomsTest, DuplicateSlugIsAlreadyExists) {
  create_room(db(), {"dup", "", std::nullopt, std::nullopt, false});
  EXPECT_THROW(create_room(db(), {"dup", "again", std::nullopt, std::nullopt, false}),
               AlreadyExists);
}

TEST_F(RoomsTest, SlugsMustBeUrlSafe) {
  for (const char* bad : {"", "-lead", "trail-", "Upper", "sp ace", "a/b", "ü", "a_b"}) {
    EXPECT_TRUE(slug_problem(bad)) << bad;
    EXPECT_THROW(create_room(db(), {bad, "", std::nullopt, std::nullopt, false}), InvalidInput)
        << bad;
  }
  EXPECT_TRUE(slug_problem(std::string(65, 'a')));
  EXPECT_FALSE(slug_problem(std::string(64, 'a')));
  EXPECT_FALSE(slug_problem("r"));
  EXPECT_FALSE(slug_problem("team-2024-q3"));
  // The schema refuses them too, whoever writes.
  EXPECT_THROW(sql("INSERT INTO rooms (slug) VALUES ('Bad Slug')"), pqxx::check_violation);
}

TEST_F(RoomsTest, BadLimitsAreRefused) {
  EXPECT_THROW(create_room(db(), {"zero", "", 0, std::nullopt, false}), InvalidInput);
  EXPECT_THROW(
      create_room(db(), {"long", std::string(201, 'x'), std::nullopt, std::nullopt, false}),
      InvalidInput);
}

TEST_F(RoomsTest, UnknownRoomIsNotFound) {
  EXPECT_THROW(delete_room(db(), "ghost"), NotFound);
  EXPECT_THROW(set_room_code_hash(db(), "ghost", CodeKind::kParticipant, "$scrypt$x$y$z"),
               NotFound);
}

TEST_F(RoomsTest, CodesAreStoredOnlyAsVerifiableHashes) {
  create_room(db(), {"secret-room", "", std::nullopt, std::nullopt, false});
  std::string participant = generate_code();
  std::string moderator = generate_code();
  set_room_code_hash(db(), "secret-room", CodeKind::kParticipant, hash_code(participant));
  set_room_code_hash(db(), "secret-room", CodeKind::kModerator, hash_code(moderator));

  Room room = *find_room(db(), "secret-room");
  EXPECT_TRUE(room.participant_code_hash.starts_with("$scrypt$N=32768,r=8,p=1$"));
  EXPECT_TRUE(verify_code(participant, room.participant_code_hash));
  EXPECT_TRUE(verify_code(moderator, room.moderator_code_hash));
  EXPECT_FALSE(verify_code(moderator, room.participant_code_hash));
  EXPECT_FALSE(verify_code(participant, room.moderator_code_hash));
  EXPECT_FALSE(verify_code("wrong-code-1234", room.participant_code_hash));

  // Nowhere in the stored row, in any spelling.
  std::string row = sql("SELECT r::text FROM rooms r WHERE slug = 'secret-room'")[0][0].c_str();
  for (const std::string& code : {participant, moderator}) {
    EXPECT_EQ(row.find(code), std::string::npos);
    EXPECT_EQ(row.find(normalize_code(code)), std::string::npos);
    EXPECT_EQ(row.find(normalize_code(code).substr(0, 8)), std::string::npos);
  }

  set_room_code_hash(db(), "secret-room", CodeKind::kModerator, std::nullopt);
  EXPECT_TRUE(find_room(db(), "secret-room")->moderator_code_hash.empty());
  EXPECT_FALSE(find_room(db(), "secret-room")->participant_code_hash.empty());
}

TEST_F(RoomsTest, UpdatedAtIsMaintainedByTheDatabase) {
  create_room(db(), {"touched", "", std::nullopt, std::nullopt, false});
  // Even a statement that sets it explicitly gets the time of the change.
  sql("UPDATE rooms SET created_at = now() - interval '1 hour', updated_at = '2000-01-01' "
      "WHERE slug = 'touched'");
  int64_t now = scalar<int64_t>("SELECT extract(epoch FROM now())::bigint");
  Room before = *find_room(db(), "touched");
  EXPECT_NEAR(static_cast<double>(before.updated_at), static_cast<double>(now), 5);
  EXPECT_NEAR(static_cast<double>(before.created_at), static_cast<double>(now - 3600), 5);

  set_room_code_hash(db(), "touched", CodeKind::kParticipant, hash_code("a-fine-code-123"));
  Room after = *find_room(db(), "touched");
  EXPECT_GE(after.updated_at, before.updated_at);
  EXPECT_EQ(after.created_at, before.created_at);
}

TEST_F(RoomsTest, DeletingARoomKeepsItsParticipationLogsWithoutIt) {
  Room room = create_room(db(), {"gone", "", std::nullopt, std::nullopt, false});
  sql("SELECT turnd_ensure_log_partitions(current_date - 1, current_date + 1)");
  sql("INSERT INTO participation_log (event_id, joined_at, room_id) VALUES "
      "(gen_random_uuid(), now(), " +
      std::to_string(room.id) + ")");
  delete_room(db(), "gone");
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM participation_log WHERE room_id IS NULL"), 1);
}

}  // namespace
}  // namespace turnd::db::testing
