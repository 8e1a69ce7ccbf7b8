#include "turnd/net/wakeup.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace turnd::net {

Wakeup::Wakeup(EventBase& base, std::function<void()> callback)
    : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), callback_(std::move(callback)) {
  if (fd_.get() < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
  event_ = Event::readable(base, fd_.get(), [this] {
    uint64_t count = 0;
    while (::read(fd_.get(), &count, sizeof(count)) < 0 && errno == EINTR) {
    }
    callback_();
  });
}

void Wakeup::notify() noexcept {
  uint64_t one = 1;
  while (::write(fd_.get(), &one, sizeof(one)) < 0 && errno == EINTR) {
  }
}

}  // namespace turnd::net
