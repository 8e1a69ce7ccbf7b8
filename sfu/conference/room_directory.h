// RoomDirectory: the rooms of the store, cached in memory so that joining
// never waits on PostgreSQL (and works while it is down). The store thread
// replaces the whole snapshot at start and whenever `rooms` changes (NOTIFY);
// readers on any thread get an immutable snapshot entry.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "db/rooms.h"

namespace turnd::sfu::conference {

class RoomDirectory {
 public:
  using Entry = std::shared_ptr<const db::Room>;

  void replace(std::vector<db::Room> rooms);
  Entry find(std::string_view slug) const;
  size_t size() const;

 private:
  using Map = std::map<std::string, Entry, std::less<>>;
  mutable std::mutex mutex_;
  std::shared_ptr<const Map> rooms_ = std::make_shared<const Map>();
};

}  // namespace turnd::sfu::conference
