// turnctl's command line: global options, the command table, dispatch, and the
// one place where errors become messages and exit codes.
//
//   turnctl [-c FILE] [--database=URL] [--migrations=DIR] GROUP VERB [ARGS] [--options]
//
// Exit codes: 0 success, 1 the command failed (unknown room or report, database error),
// 2 usage or configuration error, 3 the database cannot be reached.
#pragma once

#include <iosfwd>

namespace turnd::ctl {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUnreachable = 3;

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool in_is_terminal = false;  // prompt for passwords without echo
};

bool stdin_is_terminal();

int run(int argc, const char* const* argv, Io& io);

}  // namespace turnd::ctl
