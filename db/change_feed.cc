#include "db/change_feed.h"

#include <algorithm>

#include "db/native.h"

namespace turnd::db {

struct ChangeFeed::Receiver final : pqxx::notification_receiver {
  explicit Receiver(pqxx::connection_base& c) : pqxx::notification_receiver(c, "turnd_changes") {}
  void operator()(const std::string& payload, int) override {
    if (std::find(tables.begin(), tables.end(), payload) == tables.end()) tables.push_back(payload);
  }
  std::vector<std::string> tables;
};

ChangeFeed::ChangeFeed(Database& db) : db_(db) {
  try {
    receiver_ = std::make_unique<Receiver>(db.native().connection);
    db.native().connection.get_notifs();  // issues the LISTEN now, not at the first poll
  } catch (...) {
    rethrow_as_db_error();
  }
}

ChangeFeed::~ChangeFeed() {
  try {
    receiver_.reset();  // UNLISTEN when the connection still works
  } catch (...) {
  }
}

std::vector<std::string> ChangeFeed::poll() {
  try {
    db_.native().connection.get_notifs();
  } catch (...) {
    rethrow_as_db_error();
  }
  if (!db_.native().connection.is_open()) throw ConnectError("lost the connection to the database");
  std::vector<std::string> out;
  out.swap(receiver_->tables);
  return out;
}

}  // namespace turnd::db
