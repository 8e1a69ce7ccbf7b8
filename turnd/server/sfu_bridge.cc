#include "turnd/server/sfu_bridge.h"

#include <algorithm>
#include <cstring>

namespace turnd::server {

// The SFU's answer path for one relayed address: back to the worker that
// holds the allocation.
class SfuBridge::Link final : public turn::ClientLink {
 public:
  Link(SfuBridge& bridge, size_t worker, SocketAddress sfu, SocketAddress relayed)
      : bridge_(bridge), worker_(worker), sfu_(sfu), relayed_(relayed) {}
  void send(Bytes message) noexcept override {
    bridge_.send_to_worker(worker_, sfu_, relayed_, message);
  }
  std::unique_ptr<ClientLink> retain() const override {
    return std::make_unique<Link>(bridge_, worker_, sfu_, relayed_);
  }

 private:
  SfuBridge& bridge_;
  size_t worker_;
  SocketAddress sfu_;
  SocketAddress relayed_;
};

SfuBridge::SfuBridge(size_t workers, std::vector<SocketAddress> sfu_addresses, bool in_process)
    : sfu_addresses_(std::move(sfu_addresses)), in_process_(in_process) {
  for (size_t i = 0; i < workers; ++i) {
    channels_.push_back(std::make_unique<Channel>());
    ports_.push_back(std::make_unique<WorkerPort>(*this, i));
  }
}

BridgeCounters SfuBridge::counters() const noexcept {
  BridgeCounters out;
  for (const auto& c : channels_) {
    out.to_sfu += c->delivered_to_sfu.get();
    out.from_sfu += c->from_sfu.get();
    out.dropped += c->dropped_by_sfu.get() + c->dropped_by_worker.get();
  }
  return out;
}

bool SfuBridge::is_sfu(const SocketAddress& address) const noexcept {
  return std::find(sfu_addresses_.begin(), sfu_addresses_.end(), address) != sfu_addresses_.end();
}

void SfuBridge::attach_sfu(net::EventBase& base, turn::ClientPacketHandler& sfu) {
  sfu_ = &sfu;
  sfu_wakeup_ = std::make_unique<net::Wakeup>(base, [this] { drain_sfu(); });
}

// SFU thread: every worker's queued datagrams, as if they had come from the
// relayed address over UDP.
void SfuBridge::drain_sfu() noexcept {
  if (sfu_ == nullptr) return;
  for (size_t w = 0; w < channels_.size(); ++w) {
    while (channels_[w]->to_sfu.pop_in_place([&](LocalDatagram& d) {
      turn::FiveTuple tuple{d.from, d.to, turn::ClientTransport::kUdp};
      Link link(*this, w, d.to, d.from);
      channels_[w]->delivered_to_sfu.add();
      sfu_->on_client_packet(tuple, link, MutableBytes(d.data.data(), d.length));
    })) {
    }
  }
}

bool SfuBridge::send_to_worker(size_t worker, const SocketAddress& from, const SocketAddress& to,
                               Bytes payload) noexcept {
  Channel& c = *channels_[worker];
  bool queued = payload.size() <= LocalDatagram::kMaxPayload &&
                c.to_worker.push_in_place([&](LocalDatagram& d) {
                  d.from = from;
                  d.to = to;
                  d.length = static_cast<uint16_t>(payload.size());
                  std::memcpy(d.data.data(), payload.data(), payload.size());
                });
  if (!queued) {
    c.dropped_by_sfu.add();
    return false;
  }
  c.wake_worker = true;
  return true;
}

void SfuBridge::flush_sfu() noexcept {
  for (size_t w = 0; w < channels_.size(); ++w) {
    if (!channels_[w]->wake_worker) continue;
    channels_[w]->wake_worker = false;
    if (ports_[w]->wakeup_) ports_[w]->wakeup_->notify();
  }
}

// ---------------------------------------------------------------------------

bool WorkerPort::is_local(const SocketAddress& peer) const noexcept {
  return bridge_.is_sfu(peer);
}

bool WorkerPort::in_process() const noexcept {
  return bridge_.in_process() && bridge_.sfu_wakeup_ != nullptr;
}

bool WorkerPort::deliver(void* context, turn::RelaySink& sink, const SocketAddress& from,
                         const SocketAddress& to, Bytes payload) noexcept {
  auto it = targets_.find(from);
  if (it == targets_.end() || it->second.context != context) {
    try {
      targets_[from] = {context, &sink};  // once per allocation, not per packet
    } catch (const std::bad_alloc&) {
      return false;
    }
  }
  SfuBridge::Channel& c = *bridge_.channels_[index_];
  bool queued =
      payload.size() <= LocalDatagram::kMaxPayload && c.to_sfu.push_in_place([&](LocalDatagram& d) {
        d.from = from;
        d.to = to;
        d.length = static_cast<uint16_t>(payload.size());
        std::memcpy(d.data.data(), payload.data(), payload.size());
      });
  if (!queued) {
    c.dropped_by_worker.add();
    return false;
  }
  wake_sfu_ = true;
  return true;
}

void WorkerPort::forget(void* context) noexcept {
  std::erase_if(targets_, [context](const auto& kv) { return kv.second.context == context; });
}

void WorkerPort::attach(net::EventBase& base) {
  wakeup_ = std::make_unique<net::Wakeup>(base, [this] { drain(); });
}

void WorkerPort::flush() noexcept {
  if (!wake_sfu_) return;
  wake_sfu_ = false;
  if (bridge_.sfu_wakeup_) bridge_.sfu_wakeup_->notify();
}

// Worker thread: the SFU's replies, delivered to their allocations as if the
// relay socket had received them (room before and after for the headers).
void WorkerPort::drain() noexcept {
  constexpr size_t kHeadroom = 64;
  constexpr size_t kTailroom = 16;
  SfuBridge::Channel& c = *bridge_.channels_[index_];
  while (c.to_worker.pop_in_place([&](LocalDatagram& d) {
    auto it = targets_.find(d.to);
    if (it == targets_.end()) {
      c.dropped_by_worker.add();
      return;
    }
    std::memcpy(scratch_.data() + kHeadroom, d.data.data(), d.length);
    c.from_sfu.add();
    it->second.sink->on_peer_packet(it->second.context, d.from,
                                    MutableBytes(scratch_.data() + kHeadroom, d.length), kHeadroom,
                                    kTailroom);
  })) {
  }
}

}  // namespace turnd::server
