// LocalPeers: peers that live in this process — the SFU's media addresses
// (issue 5). A TURN client relaying to one of them is relayed without a
// relay socket: the Server hands the payload over as coming from the
// allocation's relayed address, and the peer's replies come back through
// RelaySink::on_peer_packet as if they had arrived on the relay socket, so
// permissions, channels, lifetimes, quotas and counters apply unchanged.
//
// Implemented per worker (turnd/server/sfu_bridge.h); called on the worker's
// thread only, never allocating per packet.
#pragma once

#include "turnd/common/address.h"
#include "turnd/common/bytes.h"
#include "turnd/turn/io.h"

namespace turnd::turn {

class LocalPeers {
 public:
  virtual ~LocalPeers() = default;
  // `peer` (address and port) is an in-process peer: allowed as a peer even
  // when it is loopback or private (the peer policy denies those otherwise).
  virtual bool is_local(const SocketAddress& peer) const noexcept = 0;
  // Whether datagrams for local peers are handed over in process (false:
  // sent through the relay socket and the kernel, sfu-inprocess-relay=off).
  virtual bool in_process() const noexcept = 0;
  // A datagram from relayed address `from` of allocation `context` to the
  // local peer `to`; replies go to sink.on_peer_packet(context, ...). False
  // when it was dropped (the hand-over queue is full).
  virtual bool deliver(void* context, RelaySink& sink, const SocketAddress& from,
                       const SocketAddress& to, Bytes payload) noexcept = 0;
  // The allocation `context` is gone: nothing may reach it any more.
  virtual void forget(void* context) noexcept = 0;
};

}  // namespace turnd::turn
