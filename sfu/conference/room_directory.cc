#include "sfu/conference/room_directory.h"

namespace turnd::sfu::conference {

void RoomDirectory::replace(std::vector<db::Room> rooms) {
  auto next = std::make_shared<Map>();
  for (db::Room& r : rooms) {
    std::string slug = r.slug;
    next->emplace(std::move(slug), std::make_shared<const db::Room>(std::move(r)));
  }
  std::lock_guard lock(mutex_);
  rooms_ = std::move(next);
}

RoomDirectory::Entry RoomDirectory::find(std::string_view slug) const {
  std::shared_ptr<const Map> rooms;
  {
    std::lock_guard lock(mutex_);
    rooms = rooms_;
  }
  auto it = rooms->find(slug);
  return it == rooms->end() ? nullptr : it->second;
}

size_t RoomDirectory::size() const {
  std::lock_guard lock(mutex_);
  return rooms_->size();
}

}  // namespace turnd::sfu::conference
