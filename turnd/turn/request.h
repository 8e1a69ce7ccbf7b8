// Server::Request: what the STUN request handlers share while answering one
// request. Private to turnd/turn's handler files.
#pragma once

#include "turnd/turn/server.h"

namespace turnd::turn {

struct Server::Request {
  const FiveTuple& tuple;
  ClientLink& link;
  const stun::MessageView& message;
  Allocation* allocation = nullptr;  // the 5-tuple's allocation, if any
  Bytes key;                         // set once authenticated
  stun::MacAlgorithm algorithm = stun::MacAlgorithm::kSha1;
  bool fingerprint = false;  // answer with FINGERPRINT
  bool sfu_only = false;     // authenticated with a browser's credential: the SFU is its only peer
  uint16_t method() const noexcept { return message.method(); }
};

}  // namespace turnd::turn
