// turnctl user add|delete|list and secret add|list|delete: TURN long-term users
// and REST API secrets in coturn's tables.
#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

#include <istream>
#include <ostream>

#include "db/errors.h"
#include "db/turn_credentials.h"
#include "turnd/ctl/commands.h"
#include "turnd/ctl/text.h"

namespace turnd::ctl {
namespace {

// Turns terminal echo off for its lifetime (when stdin is a terminal).
class NoEcho {
 public:
  explicit NoEcho(bool terminal) {
    if (!terminal || tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
  }
  ~NoEcho() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// --password, else the first line of stdin (prompted without echo on a terminal).
std::string password(Context& ctx) {
  if (auto given = ctx.args().value("password")) {
    if (given->empty()) throw UsageError("--password is empty");
    return *given;
  }
  std::string line;
  {
    NoEcho no_echo(ctx.in_is_terminal());
    if (ctx.in_is_terminal()) ctx.err() << "password: " << std::flush;
    std::getline(ctx.in(), line);
    if (ctx.in_is_terminal()) ctx.err() << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw UsageError("empty password: give it on stdin or with --password");
  return line;
}

void check(const std::optional<std::string>& problem) {
  if (problem) throw db::InvalidInput(*problem);
}

std::optional<std::string> realm_filter(const Context& ctx) {
  return ctx.args().value("realm");
}

}  // namespace

int user_add(Context& ctx) {
  const std::string& name = ctx.operands().at(0);
  std::string realm = ctx.realm();
  check(db::realm_problem(realm));
  check(db::user_name_problem(name));
  std::string secret = password(ctx);
  std::string key = db::lt_hmackey(name, realm, secret);
  OPENSSL_cleanse(secret.data(), secret.size());
  db::Upsert result = db::put_user(ctx.database(), realm, name, key);
  ctx.out() << (result == db::Upsert::kAdded ? "added" : "updated") << " user " << name
            << " in realm " << realm << "\n";
  return kExitOk;
}

int user_delete(Context& ctx) {
  const std::string& name = ctx.operands().at(0);
  std::string realm = ctx.realm();
  db::delete_user(ctx.database(), realm, name);
  ctx.out() << "deleted user " << name << " from realm " << realm << "\n";
  return kExitOk;
}

int user_list(Context& ctx) {
  Table table({"REALM", "NAME"});
  for (const db::TurnUser& user : db::list_users(ctx.database(), realm_filter(ctx))) {
    table.add({user.realm, user.name});
  }
  ctx.out() << table.str();
  return kExitOk;
}

// Without VALUE a strong secret is generated and printed (alone on stdout).
int secret_add(Context& ctx) {
  std::string realm = ctx.realm();
  bool generated = ctx.operands().empty();
  std::string value = generated ? db::generate_secret() : ctx.operands().at(0);
  if (!db::add_secret(ctx.database(), realm, value)) {
    throw db::AlreadyExists("realm " + realm + " already has this secret");
  }
  if (generated) {
    ctx.out() << value << "\n";
    ctx.err() << "turnctl: new REST API secret added to realm " << realm << "\n";
  } else {
    ctx.out() << "added a REST API secret to realm " << realm << "\n";
  }
  return kExitOk;
}

int secret_list(Context& ctx) {
  Table table({"REALM", "SECRET"});
  for (const db::TurnSecret& secret : db::list_secrets(ctx.database(), realm_filter(ctx))) {
    table.add({secret.realm, secret.value});
  }
  ctx.out() << table.str();
  return kExitOk;
}

int secret_delete(Context& ctx) {
  std::string realm = ctx.realm();
  db::delete_secret(ctx.database(), realm, ctx.operands().at(0));
  ctx.out() << "deleted a REST API secret from realm " << realm << "\n";
  return kExitOk;
}

}  // namespace turnd::ctl
