// ChangeFeed: LISTEN turnd_changes on a connection (migration 004 sends the
// changed table's name — rooms, turnusers_lt, turn_secret — at every commit
// that changes one). poll() never blocks: it reads what the server has sent
// since the last call. Destroy the feed before its Database.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "db/database.h"

namespace turnd::db {

class ChangeFeed {
 public:
  // Throws db::Error (ConnectError when the connection is gone).
  explicit ChangeFeed(Database& db);
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // The tables changed since the last call, each once, in order of arrival.
  // Throws ConnectError when the connection broke.
  std::vector<std::string> poll();

 private:
  struct Receiver;
  Database& db_;
  std::unique_ptr<Receiver> receiver_;
};

}  // namespace turnd::db
