// turnctl: the administration tool for turnd's PostgreSQL store. Everything is
// in turnd/ctl/cli.cc so tests can run it without compiling a main.
#include <iostream>

#include "turnd/ctl/cli.h"

int main(int argc, char** argv) {
  turnd::ctl::Io io{std::cin, std::cout, std::cerr, turnd::ctl::stdin_is_terminal()};
  return turnd::ctl::run(argc, argv, io);
}
