#include "sfu/signal/outbox.h"

namespace turnd::sfu::signal {

bool Outbox::push(std::string_view text) {
  if (text.size() > max_bytes_ || queued_bytes_ > max_bytes_ - text.size()) return false;
  std::string message(headroom_, '\0');
  message.append(text);
  messages_.push_back(std::move(message));
  queued_bytes_ += text.size();
  return true;
}

void Outbox::pop() noexcept {
  queued_bytes_ -= front_size();
  messages_.pop_front();
}

void Outbox::clear() noexcept {
  messages_.clear();
  queued_bytes_ = 0;
}

}  // namespace turnd::sfu::signal
