// turnctl's command line without a database: parsing, usage errors and their
// exit codes, an unreachable database, and the text helpers.
#include "turnd/ctl/cli.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "turnd/ctl/args.h"
#include "turnd/ctl/text.h"

namespace turnd::ctl {
namespace {

constexpr const char* kNowhere = "--database=postgresql:///turnd?host=/nonexistent-turnctl-test";

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result turnctl(std::vector<const char*> args, const std::string& input = "") {
  args.insert(args.begin(), "turnctl");
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  Io io{in, out, err, false};
  int code = run(static_cast<int>(args.size()), args.data(), io);
  return {code, out.str(), err.str()};
}

Arguments split(std::vector<const char*> args) {
  return split_arguments(args);
}

TEST(TurnctlArgs, WordsOptionsAndFlags) {
  Arguments a = split({"room", "create", "r1", "--name", "Team room", "--max=5", "--recording"});
  EXPECT_EQ(a.words, (std::vector<std::string>{"room", "create", "r1"}));
  EXPECT_EQ(a.value("name"), "Team room");
  EXPECT_EQ(a.value("max"), "5");
  EXPECT_TRUE(a.has("recording"));
  EXPECT_EQ(a.value("recording"), std::nullopt);
  EXPECT_FALSE(a.has("realm"));
}

TEST(TurnctlArgs, ConfigFileForms) {
  EXPECT_EQ(split({"-c", "a.conf", "db", "status"}).config_file, "a.conf");
  EXPECT_EQ(split({"db", "status", "-c=b.conf"}).config_file, "b.conf");
  EXPECT_EQ(split({"--config", "c.conf", "db", "status"}).config_file, "c.conf");
  EXPECT_THROW(split({"-c", "a", "-c", "b"}), UsageError);
  EXPECT_THROW(split({"-c"}), UsageError);
}

TEST(TurnctlArgs, DoubleDashEndsOptions) {
  Arguments a = split({"secret", "delete", "--", "--looks-like-an-option"});
  EXPECT_EQ(a.words.back(), "--looks-like-an-option");
}

TEST(TurnctlArgs, Mistakes) {
  EXPECT_THROW(split({"--bogus"}), UsageError);
  EXPECT_THROW(split({"-x"}), UsageError);
  EXPECT_THROW(split({"--name"}), UsageError);
  EXPECT_THROW(split({"--clear=yes"}), UsageError);
  EXPECT_THROW(split({"--max=1", "--max=2"}), UsageError);
}

TEST(Turnctl, HelpListsEveryCommand) {
  Result r = turnctl({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const char* text :
       {"db migrate", "db status", "db purge", "room create SLUG", "room list", "room show SLUG",
        "room delete SLUG", "room set-code SLUG", "user add NAME", "user delete NAME", "user list",
        "secret add [VALUE]", "secret list", "secret delete VALUE", "report list", "report NAME"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  }
}

TEST(Turnctl, UsageErrorsExitWithTwo) {
  struct Case {
    std::vector<const char*> args;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "turnctl: no command given"},
           {{"rooms", "list"}, "turnctl: unknown command 'rooms'"},
           {{"room"}, "turnctl: 'room' needs a subcommand"},
           {{"room", "lst"}, "turnctl: unknown command 'room lst'"},
           {{"room", "create"}, "turnctl: 'room create' needs SLUG"},
           {{"room", "show", "a", "b"}, "turnctl: 'room show': unexpected argument 'b'"},
           {{"room", "list", "--name=x"}, "turnctl: 'room list' takes no --name"},
           {{"db", "status", "--frobnicate"}, "turnctl: unknown option --frobnicate"},
           {{"db", "status"}, "turnctl: no database: set database= in the config file"},
           {{"room", "create", "r", "--max=0", kNowhere}, "turnctl: --max: '0' is not a number"},
           {{"room", "create", "r", "--max=many", kNowhere}, "turnctl: --max: 'many'"},
           {{"room", "create", "r", "--expires=soon", kNowhere}, "turnctl: --expires: 'soon'"},
           {{"room", "create", "r", "--expires=2001-01-01", kNowhere}, "is in the past"},
           {{"db", "purge", "--retention=5", kNowhere}, "turnctl: --retention: '5' is not"},
           {{"user", "add", "alice", kNowhere}, "turnctl: no realm: pass --realm"},
           {{"user", "add", "alice", "--realm=r", kNowhere}, "turnctl: empty password"},
           {{"room", "set-code", "r", "--clear", "--code=x", kNowhere}, "exclude each other"},
           {{"report"}, "turnctl: 'report' needs a subcommand"},
           {{"report", "list", "--from=2025-01-01"}, "turnctl: 'report list' takes no --from"},
           {{"report", "top_rooms", "extra"}, "turnctl: 'report top_rooms': unexpected argument"},
           {{"report", "top_rooms", "--name=x"}, "turnctl: 'report top_rooms' takes no --name"},
           {{"report", "top_rooms", "--from=2025-1-1", kNowhere},
            "turnctl: --from: '2025-1-1' is not a date: YYYY-MM-DD (UTC)"},
           {{"report", "top_rooms", "--to=2025-02-30", kNowhere}, "turnctl: --to: '2025-02-30'"},
           {{"report", "top_rooms", "--to=2025-02-01T00:00Z", kNowhere}, "is not a date"},
           {{"report", "top_rooms", "--from=2025-03-02", "--to=2025-03-01", kNowhere},
            "turnctl: --from 2025-03-02 is after --to 2025-03-01"},
           {{"report", "top_rooms", "--format=xml", kNowhere},
            "turnctl: --format: 'xml' is not table, csv or json"},
       }) {
    Result r = turnctl(c.args);
    EXPECT_EQ(r.code, kExitUsage) << c.message << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(Turnctl, ReportsAreListedAndAnUnknownOneFails) {
  Result list = turnctl({"report", "list"});
  EXPECT_EQ(list.code, kExitOk) << list.err;
  EXPECT_TRUE(list.out.starts_with("NAME ")) << list.out;
  EXPECT_NE(list.out.find("\ndaily_conferences  Per day: conferences held"), std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("\ntransport_usage "), std::string::npos) << list.out;

  // Looked up before connecting: no database needed to learn it does not exist.
  Result unknown = turnctl({"report", "no_such_report", kNowhere});
  EXPECT_EQ(unknown.code, kExitFailure);
  EXPECT_TRUE(unknown.err.starts_with("turnctl: no report 'no_such_report' in ")) << unknown.err;
  Result escape = turnctl({"report", "../migrations/001_rooms", kNowhere});
  EXPECT_EQ(escape.code, kExitFailure);
  EXPECT_NE(escape.err.find("no report '../migrations/001_rooms'"), std::string::npos)
      << escape.err;

  Result missing_dir = turnctl({"report", "list", "--reports=/nonexistent-reports"});
  EXPECT_EQ(missing_dir.code, kExitFailure);
  EXPECT_NE(missing_dir.err.find("cannot read reports directory /nonexistent-reports"),
            std::string::npos)
      << missing_dir.err;
}

TEST(Turnctl, UnreachableDatabaseExitsWithThree) {
  Result r = turnctl({"room", "list", kNowhere});
  EXPECT_EQ(r.code, kExitUnreachable);
  EXPECT_TRUE(r.err.starts_with("turnctl: cannot connect to database: ")) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(Turnctl, ConfigErrorsExitWithTwo) {
  Result missing = turnctl({"-c", "/nonexistent/turnd.conf", "db", "status"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_EQ(missing.err,
            "turnctl: /nonexistent/turnd.conf: cannot open: No such file or directory\n");

  std::string path = ::testing::TempDir() + "turnctl_bad.conf";
  std::ofstream(path) << "realm=example.org\nlog-retention=forever\n";
  Result bad = turnctl({"-c", path.c_str(), "db", "purge"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_NE(bad.err.find(path + ":2: log-retention: 'forever' is not a duration"),
            std::string::npos)
      << bad.err;
}

TEST(Turnctl, TheConfigFileNamesTheDatabase) {
  std::string path = ::testing::TempDir() + "turnctl_db.conf";
  std::ofstream(path) << "realm=example.org\n"
                         "database=postgresql:///turnd?host=/nonexistent-turnctl-conf\n";
  Result r = turnctl({"-c", path.c_str(), "user", "list"});
  EXPECT_EQ(r.code, kExitUnreachable);
  EXPECT_NE(r.err.find("nonexistent-turnctl-conf"), std::string::npos) << r.err;
  // --database wins over the file.
  Result over = turnctl({"-c", path.c_str(), "user", "list",
                         "--database=postgresql:///turnd?host=/nonexistent-turnctl-flag"});
  EXPECT_NE(over.err.find("nonexistent-turnctl-flag"), std::string::npos) << over.err;
}

TEST(TurnctlText, UtcTimes) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(1714564800), "2024-05-01T12:00:00Z");
  EXPECT_EQ(parse_utc("2024-05-01"), 1714521600);
  EXPECT_EQ(parse_utc("2024-05-01T12:00Z"), 1714564800);
  EXPECT_EQ(parse_utc("2024-05-01T12:00:30Z"), 1714564830);
  for (const char* bad :
       {"", "2024-05-01T12:00", "2024-02-30", "2024-05-01 12:00Z", "tomorrow", "2024-05-01Zjunk"}) {
    EXPECT_FALSE(parse_utc(bad)) << bad;
  }
}

TEST(TurnctlText, TableAlignsColumns) {
  Table t({"A", "LONGER"});
  t.add({"wide-value", "x"});
  EXPECT_EQ(t.str(), "A           LONGER\nwide-value  x\n");
}

}  // namespace
}  // namespace turnd::ctl
