// MediaPlane: the SFU's media thread as turnd/server/sfu_service.cc runs it —
// a libevent loop (turnd/net EventBase) with the UDP media socket
// (UdpListener + DatagramIo: recvmmsg in, sendmmsg out at the end of each
// loop round) feeding the MediaEndpoint, WebRtcTransports and the
// Conference, whose timer runs every 50 ms, and, when given, the in-process
// relay from turnd's TURN workers (SfuBridge) — for the load benchmarks'
// server processes (sfu_load_server.h, sfu_turn_server.h). Its signalling
// comes over the control channel (bench/control_channel.h) instead of WSS:
// frames are handed to the Conference as the signal thread's are, on the
// media thread.
//
// Control frames in: {"op":"open","c":ID} {"op":"message","c":ID,"text":T}
// {"op":"count","on":B} (count heap allocations on the media thread)
// {"op":"stats"} {"op":"quit"}. Out: {"op":"send","c":ID,"text":T},
// {"op":"close","c":ID}, {"op":"stats",...} (see stats()).
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "sfu/conference/conference.h"
#include "sfu/conference/scrypt_code_verifier.h"
#include "turnd/net/datagram_io.h"
#include "turnd/net/event_loop.h"
#include "turnd/net/udp_listener.h"
#include "turnd/server/sfu_bridge.h"

namespace turnd::sfu::bench {

inline constexpr const char* kLoadRoom = "load";
inline constexpr const char* kLoadCode = "load-code-1357";

// The conference's messages go back over the control channel.
class ControlSignal final : public conference::SignalOut {
 public:
  explicit ControlSignal(int fd) : fd_(fd) {}
  void send(conference::ConnectionId c, std::string text) override;
  void close(conference::ConnectionId c) override;

 private:
  int fd_;
};

class MediaPlane {
 public:
  // Adds the caller's figures to each stats frame (media thread).
  using ExtraStats = std::function<void(nlohmann::json&)>;

  // Binds `media` (127.0.0.1 and port 0: a free port); attaches `bridge`
  // (may be null) as the daemon's SfuService does. Throws std::runtime_error.
  MediaPlane(int control_fd, SocketAddress media, server::SfuBridge* bridge,
             ExtraStats extra = nullptr);
  ~MediaPlane();

  const SocketAddress& address() const noexcept { return address_; }
  // The conference's, the socket's and the process's figures (CPU of the
  // thread and of the process, heap, RSS, forwarded packets, ...).
  nlohmann::json stats() const;
  // The media thread's loop, until "quit" or the end of the control stream.
  void run();

 private:
  void on_control();

  int control_fd_;
  SystemClock clock_;
  net::EventBase base_;
  net::DatagramIo io_;
  srtp::SrtpLibrary srtp_;
  dtls::DtlsCertificate certificate_;
  dtls::DtlsContext dtls_;
  stun::MacContext mac_;
  router::MediaEndpoint endpoint_;
  conference::RoomDirectory rooms_;
  ControlSignal signal_;
  server::SfuBridge* bridge_;
  ExtraStats extra_;
  std::unique_ptr<conference::ScryptCodeVerifier> codes_;
  std::unique_ptr<conference::Conference> conference_;
  SocketAddress address_;
  std::unique_ptr<net::UdpListener> udp_;
  std::unique_ptr<net::Event> timer_, control_;
};

// The time the calling thread / process has run (CLOCK_*_CPUTIME_ID), ns.
int64_t cpu_ns(clockid_t clock) noexcept;

}  // namespace turnd::sfu::bench
