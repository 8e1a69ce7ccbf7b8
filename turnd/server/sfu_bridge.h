// SfuBridge: the in-process relay between the TURN workers and the SFU
// (issue 5). A TURN client relaying to the SFU's media address does not go
// through a relay socket and the kernel: each worker hands such datagrams to
// the SFU's media thread through a lock-free ring of its own, and the SFU's
// replies come back through another. The SFU sees the allocation's relayed
// transport address as the remote address, as it would through the kernel.
//
//   worker i: Server::send_to_peer -> WorkerPort::deliver -> to_sfu[i] ring
//             (one eventfd write per loop round if anything was queued)
//   SFU:      drain() -> MediaEndpoint::on_client_packet(relay addr -> SFU addr, link)
//             link.send (replies) -> to_worker[i] ring (one wakeup per round)
//   worker i: drain() -> Server::on_peer_packet(allocation, SFU addr, payload)
//
// Slots are preallocated (kSlots per ring, kMaxPayload bytes each): no lock,
// no allocation per packet. A full ring drops the datagram and counts it.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <unordered_map>
#include <vector>

#include "turnd/common/counter.h"
#include "turnd/common/spsc_ring.h"
#include "turnd/net/wakeup.h"
#include "turnd/turn/io.h"
#include "turnd/turn/local_peer.h"

namespace turnd::server {

struct LocalDatagram {
  static constexpr size_t kMaxPayload = 2048;
  SocketAddress from;
  SocketAddress to;
  uint16_t length = 0;
  std::array<std::byte, kMaxPayload> data;
};

struct BridgeCounters {
  uint64_t to_sfu = 0;
  uint64_t from_sfu = 0;
  uint64_t dropped = 0;  // a ring was full, or the allocation had gone
};

class SfuBridge;

// One worker's side: the turn::LocalPeers its Server uses. Worker thread only.
class WorkerPort final : public turn::LocalPeers {
 public:
  WorkerPort(SfuBridge& bridge, size_t index) : bridge_(bridge), index_(index) {}

  bool is_local(const SocketAddress& peer) const noexcept override;
  bool in_process() const noexcept override;
  bool deliver(void* context, turn::RelaySink& sink, const SocketAddress& from,
               const SocketAddress& to, Bytes payload) noexcept override;
  void forget(void* context) noexcept override;

  // The worker's loop: watch for the SFU's replies; flush wakes the SFU once.
  void attach(net::EventBase& base);
  void detach() noexcept { wakeup_.reset(); }  // before that loop goes
  void flush() noexcept;

 private:
  void drain() noexcept;

  struct Target {
    void* context;
    turn::RelaySink* sink;
  };
  SfuBridge& bridge_;
  size_t index_;
  std::unique_ptr<net::Wakeup> wakeup_;
  bool wake_sfu_ = false;
  std::unordered_map<SocketAddress, Target, SocketAddressHash> targets_;  // by relayed address
  // Room before and after the payload for the ChannelData / Data header.
  alignas(8) std::array<std::byte, 64 + LocalDatagram::kMaxPayload + 16> scratch_{};

  friend class SfuBridge;
};

class SfuBridge {
 public:
  static constexpr size_t kSlots = 1024;

  // `sfu_addresses`: the SFU's media addresses (as bound and as announced).
  SfuBridge(size_t workers, std::vector<SocketAddress> sfu_addresses, bool in_process);

  WorkerPort& port(size_t worker) noexcept { return *ports_[worker]; }
  // Summed over the workers' single-writer counters (any thread).
  BridgeCounters counters() const noexcept;
  bool is_sfu(const SocketAddress& address) const noexcept;
  bool in_process() const noexcept { return in_process_; }

  // The SFU's media thread: its loop and its packet handler. Datagrams
  // arrive as on_client_packet(relay address -> SFU address) with a link
  // whose send() answers through the bridge.
  void attach_sfu(net::EventBase& base, turn::ClientPacketHandler& sfu);
  // Once the SFU's thread has stopped (and every worker's too).
  void detach_sfu() noexcept {
    sfu_wakeup_.reset();
    sfu_ = nullptr;
  }
  // SFU thread, end of each loop round: wakes the workers it queued for.
  void flush_sfu() noexcept;

 private:
  friend class WorkerPort;
  class Link;

  struct Channel {
    Channel() : to_sfu(kSlots), to_worker(kSlots) {}
    SpscRing<LocalDatagram> to_sfu;            // worker -> SFU
    SpscRing<LocalDatagram> to_worker;         // SFU -> worker
    bool wake_worker = false;                  // SFU thread only
    Counter delivered_to_sfu, dropped_by_sfu;  // written by the SFU thread
    Counter from_sfu, dropped_by_worker;       // written by the worker
  };

  void drain_sfu() noexcept;
  bool send_to_worker(size_t worker, const SocketAddress& from, const SocketAddress& to,
                      Bytes payload) noexcept;

  std::vector<SocketAddress> sfu_addresses_;
  bool in_process_;
  std::vector<std::unique_ptr<Channel>> channels_;
  std::vector<std::unique_ptr<WorkerPort>> ports_;
  std::unique_ptr<net::Wakeup> sfu_wakeup_;
  turn::ClientPacketHandler* sfu_ = nullptr;
};

}  // namespace turnd::server
