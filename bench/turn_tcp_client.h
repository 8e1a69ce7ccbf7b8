// TurnTcpClient: a PeerConnection's transport through a TURN server over TCP
// (RFC 8656), as Chromium uses `turn:HOST:PORT?transport=tcp` behind a
// firewall that drops UDP. One non-blocking TCP connection; it allocates a
// UDP relay with long-term credentials (the realm and nonce come from the
// server's 401), permits the one peer (the SFU's media address) and binds a
// channel to it; from then on every datagram for the SFU goes as ChannelData
// on the stream and ChannelData from the SFU is unwrapped. Requests and
// responses are built and parsed with turnd's STUN codec; the stream's
// framing is bench/turn_stream.h. The allocation lives for the server's
// default lifetime (10 min): no Refresh, the benchmark is shorter.
#pragma once

#include <cstdint>
#include <string>

#include "bench/pc_transport.h"
#include "bench/turn_stream.h"
#include "turnd/auth/keys.h"
#include "turnd/common/address.h"
#include "turnd/net/udp.h"
#include "turnd/stun/integrity.h"

namespace turnd::sfu::bench {

struct TurnTcpOptions {
  SocketAddress server;  // the TURN server's TCP listener
  std::string username;  // long-term credentials
  std::string password;
  SocketAddress peer;  // the only peer: the SFU's media address
  uint16_t channel = 0x4000;
  size_t buffer_bytes = 256 << 10;  // per direction, on top of the kernel's
};

class TurnTcpClient final : public PcTransport {
 public:
  enum class State : uint8_t {
    kConnecting,  // connect() in progress
    kAllocating,  // Allocate sent (again with credentials after the 401)
    kPermitting,  // CreatePermission for the peer sent
    kBinding,     // ChannelBind of the channel to the peer sent
    kReady,       // ChannelData flows both ways
    kFailed,      // error() says why; on_events() throws it
  };

  // Starts connecting; throws std::runtime_error when no socket can be made.
  TurnTcpClient(TurnTcpOptions options, stun::MacContext& mac);

  int fd() const noexcept override { return fd_.get(); }
  short events() const noexcept override;
  void on_events(short revents, const Deliver& deliver) override;
  bool ready() const noexcept override { return state_ == State::kReady; }
  MutableBytes reserve() noexcept override;
  void commit(size_t length) noexcept override;
  void flush() noexcept override;

  State state() const noexcept { return state_; }
  const std::string& error() const noexcept { return error_; }
  const SocketAddress& relayed() const noexcept { return relayed_; }
  // Frames that were neither our ChannelData nor an expected response.
  uint64_t unexpected_frames() const noexcept { return unexpected_; }

 private:
  void set_state(State next) noexcept;
  void fail(std::string why) noexcept;
  void on_connected() noexcept;
  void send_request() noexcept;
  void on_frame(MutableBytes frame, const Deliver& deliver) noexcept;
  void on_response(Bytes frame) noexcept;
  void on_error_response(const stun::MessageView& m) noexcept;
  void read_some(const Deliver& deliver) noexcept;

  TurnTcpOptions options_;
  stun::MacContext& mac_;
  net::Fd fd_;
  State state_ = State::kConnecting;
  std::string error_;
  ByteQueue in_, out_;
  std::string realm_, nonce_;
  auth::Md5Key key_{};
  bool authenticated_ = false;  // requests carry credentials (after the 401)
  uint32_t transaction_ = 0;
  std::array<std::byte, stun::kTransactionIdSize> pending_{};  // the request in flight
  SocketAddress relayed_;
  std::byte* reserved_ = nullptr;                  // frame start in out_, or null: scratch_
  std::array<std::byte, kMaxDatagram> scratch_{};  // a datagram with nowhere to go
  uint64_t unexpected_ = 0;
};

}  // namespace turnd::sfu::bench
