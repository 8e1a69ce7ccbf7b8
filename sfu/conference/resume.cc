// A participant outliving its WebSocket (issue 13): proxies and firewalls cut
// long connections, and a network change takes the WebSocket with it. The
// participant stays (its media and its place in the room; the others see
// nothing) for resume_window, and a new WebSocket takes it over with the
// token its last `joined` gave: random (128 bits), single-use (each resume
// gives the next), kept only as a SHA-256, gone when the participant leaves
// or is removed. The token names a participant on this node only; a
// multi-node version resolves it where the room lives.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "sfu/conference/conference.h"
#include "sfu/conference/conference_state.h"
#include "turnd/common/log.h"

namespace turnd::sfu::conference {
namespace {

std::string hex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0x0F];
  }
  return out;
}

std::string sha256_hex(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hex(digest.data(), size);
}

}  // namespace

std::string Conference::new_resume_token(Participant& p) {
  if (options_.resume_window.count() == 0) return {};
  std::array<unsigned char, 16> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) return {};
  std::string token = hex(random.data(), random.size());
  if (!p.resume_key.empty()) resumable_.erase(p.resume_key);
  p.resume_key = sha256_hex(token);
  resumable_[p.resume_key] = &p;
  return token;
}

void Conference::detach(Participant& p) {
  LOG_INFO("sfu", "%s lost its connection; resumable for %lld s", p.id.c_str(),
           static_cast<long long>(options_.resume_window.count()));
  p.connection = 0;
  p.detached_since = deps_.clock.now();
}

void Conference::resume(Connection& c, const ResumeRequest& r) {
  if (c.participant != nullptr) return refuse(c, error::kBadMessage, "already in a room");
  auto it = resumable_.find(sha256_hex(r.token));
  if (it == resumable_.end()) {
    return refuse(c, error::kNoSession, "that session is over; join again");
  }
  Participant& p = *it->second;
  if (p.connection != 0) {  // the old WebSocket is not known to be dead yet
    if (auto old = connections_.find(p.connection); old != connections_.end()) {
      old->second->participant = nullptr;
    }
    deps_.signal.close(p.connection);
  }
  p.connection = c.id;
  p.client = c.peer;
  p.detached_since.reset();
  c.participant = &p;
  JoinedInfo info = joined_info(p);
  info.resume = new_resume_token(p);
  info.resumed = true;
  LOG_INFO("sfu", "%s resumed on a new connection", p.id.c_str());
  deps_.signal.send(c.id, joined_message(info));
  // Offers sent while it was away were lost: a fresh one.
  p.awaiting_answer = false;
  p.offer_again = false;
  renegotiate(p);
}

}  // namespace turnd::sfu::conference
