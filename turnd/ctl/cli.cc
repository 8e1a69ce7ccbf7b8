#include "turnd/ctl/cli.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <iostream>
#include <span>
#include <string_view>

#include "db/errors.h"
#include "turnd/config/config.h"
#include "turnd/ctl/args.h"
#include "turnd/ctl/commands.h"
#include "turnd/ctl/context.h"

namespace turnd::ctl {
namespace {

struct Command {
  std::string_view group;
  std::string_view verb;      // empty: any word no other command of the group takes
  std::string_view operands;  // for the usage text: "SLUG", "[VALUE]"
  size_t min_operands;
  size_t max_operands;
  std::initializer_list<std::string_view> options;  // besides the global ones
  std::string_view summary;
  int (*run)(Context&);
};

constexpr std::string_view kGlobalOptions[] = {"database", "migrations"};

// clang-format off
const Command kCommands[] = {
    {"db", "migrate", "", 0, 0, {}, "apply the pending schema migrations", db_migrate},
    {"db", "status", "", 0, 0, {}, "show which migrations are applied", db_status},
    {"db", "purge", "", 0, 0, {"retention"},
     "delete session logs older than log-retention [--retention=5d]", db_purge},
    {"room", "create", "SLUG", 1, 1, {"name", "max", "expires", "recording"},
     "create a room [--name=TEXT] [--max=N] [--expires=30d|DATE] [--recording]", room_create},
    {"room", "list", "", 0, 0, {}, "list the rooms", room_list},
    {"room", "show", "SLUG", 1, 1, {}, "show one room", room_show},
    {"room", "delete", "SLUG", 1, 1, {}, "delete a room", room_delete},
    {"room", "set-code", "SLUG", 1, 1, {"moderator", "code", "clear"},
     "generate and print an access code, storing only its hash [--moderator] "
     "[--code=CODE | --clear]", room_set_code},
    {"room", "verify-code", "SLUG", 1, 1, {"moderator", "code"},
     "check a code (stdin or --code) against the stored hash [--moderator]", room_verify_code},
    {"user", "add", "NAME", 1, 1, {"realm", "password"},
     "add or update a TURN user; password on stdin [--realm=R] [--password=P]", user_add},
    {"user", "delete", "NAME", 1, 1, {"realm"}, "delete a TURN user [--realm=R]", user_delete},
    {"user", "list", "", 0, 0, {"realm"}, "list TURN users [--realm=R]", user_list},
    {"secret", "add", "[VALUE]", 0, 1, {"realm"},
     "add a REST API secret, generated and printed without VALUE [--realm=R]", secret_add},
    {"secret", "list", "", 0, 0, {"realm"}, "list REST API secrets [--realm=R]", secret_list},
    {"secret", "delete", "VALUE", 1, 1, {"realm"}, "delete a REST API secret [--realm=R]",
     secret_delete},
    {"report", "list", "", 0, 0, {"reports"}, "list the usage reports [--reports=DIR]",
     report_list},
    {"report", "", "NAME", 0, 0, {"from", "to", "format", "reports"},
     "print a usage report [--from=DATE] [--to=DATE] [--format=table|csv|json]", report_run},
};
// clang-format on

std::string usage() {
  std::string out =
      "usage: turnctl [-c FILE] [--database=URL] [--migrations=DIR] COMMAND [ARGS]\n"
      "  -c FILE           turnd's configuration file (database=, realm=, log-retention=)\n"
      "  --database=URL    PostgreSQL URL; overrides database= from the file\n"
      "  --migrations=DIR  schema migrations (default: the installed ones)\n"
      "commands:\n";
  for (const Command& c : kCommands) {
    std::string head = "  " + std::string(c.group);
    if (!c.verb.empty()) head += " " + std::string(c.verb);
    if (!c.operands.empty()) head += " " + std::string(c.operands);
    head.resize(std::max<size_t>(head.size() + 2, 26), ' ');
    out += head + std::string(c.summary) + "\n";
  }
  out +=
      "exit status: 0 ok, 1 failed, 2 usage or configuration error, 3 database unreachable\n"
      "See docs/DATABASE.md.\n";
  return out;
}

const Command& find_command(const std::vector<std::string>& words) {
  if (words.empty()) throw UsageError("no command given");
  bool group_known =
      std::ranges::any_of(kCommands, [&](const Command& c) { return c.group == words[0]; });
  if (!group_known) throw UsageError("unknown command '" + words[0] + "'");
  if (words.size() < 2) throw UsageError("'" + words[0] + "' needs a subcommand");
  for (const Command& c : kCommands) {
    if (c.group == words[0] && c.verb == words[1]) return c;
  }
  for (const Command& c : kCommands) {
    if (c.group == words[0] && c.verb.empty()) return c;
  }
  throw UsageError("unknown command '" + words[0] + " " + words[1] + "'");
}

void check_command_line(const Command& c, const Arguments& args) {
  std::string name = args.words[0] + " " + args.words[1];
  size_t operands = args.words.size() - 2;
  if (operands < c.min_operands) {
    throw UsageError("'" + name + "' needs " + std::string(c.operands));
  }
  if (operands > c.max_operands) {
    throw UsageError("'" + name + "': unexpected argument '" + args.words[2 + c.max_operands] +
                     "'");
  }
  for (const auto& [option, value] : args.options) {
    bool allowed = std::ranges::find(kGlobalOptions, option) != std::end(kGlobalOptions) ||
                   std::ranges::find(c.options, option) != c.options.end();
    if (!allowed) throw UsageError("'" + name + "' takes no --" + option);
  }
}

config::Config load_config(const Arguments& args) {
  if (!args.config_file) return {};
  std::array<const char*, 3> argv = {"turnctl", "-c", args.config_file->c_str()};
  return config::load(static_cast<int>(argv.size()), argv.data());
}

int fail(Io& io, std::string_view message, int code) {
  io.err << "turnctl: " << message << "\n";
  return code;
}

}  // namespace

bool stdin_is_terminal() {
  return isatty(STDIN_FILENO) == 1;
}

int run(int argc, const char* const* argv, Io& io) {
  try {
    std::span<const char* const> all(argv, argc > 0 ? static_cast<size_t>(argc) : 0);
    Arguments args = split_arguments(all.empty() ? all : all.subspan(1));
    if (args.help) {
      io.out << usage();
      return kExitOk;
    }
    const Command& command = find_command(args.words);
    check_command_line(command, args);
    config::Config config = load_config(args);
    Context ctx(std::move(args), std::move(config), io);
    int code = kExitFailure;
    try {
      code = command.run(ctx);
    } catch (...) {
      ctx.print_notices();
      throw;
    }
    ctx.print_notices();
    return code;
  } catch (const UsageError& e) {
    io.err << "turnctl: " << e.what() << "\n" << usage();
    return kExitUsage;
  } catch (const config::ConfigError& e) {
    return fail(io, e.what(), kExitUsage);
  } catch (const db::ConnectError& e) {
    return fail(io, e.what(), kExitUnreachable);
  } catch (const std::exception& e) {
    return fail(io, e.what(), kExitFailure);
  }
}

}  // namespace turnd::ctl
