#include "bench/turn_tcp_client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "turnd/stun/attr/channel_number.h"
#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/nonce.h"
#include "turnd/stun/attr/realm.h"
#include "turnd/stun/attr/requested_transport.h"
#include "turnd/stun/attr/username.h"
#include "turnd/stun/attr/xor_peer_address.h"
#include "turnd/stun/attr/xor_relayed_address.h"

namespace turnd::sfu::bench {
namespace {

constexpr size_t kRequestRoom = 512;
constexpr size_t kMinRead = 16 << 10;  // room asked for before each read()

stun::Method method_of(TurnTcpClient::State s) noexcept {
  switch (s) {
    case TurnTcpClient::State::kPermitting:
      return stun::Method::kCreatePermission;
    case TurnTcpClient::State::kBinding:
      return stun::Method::kChannelBind;
    default:
      return stun::Method::kAllocate;
  }
}

const char* method_name(TurnTcpClient::State s) noexcept {
  switch (method_of(s)) {
    case stun::Method::kCreatePermission:
      return "CreatePermission";
    case stun::Method::kChannelBind:
      return "ChannelBind";
    default:
      return "Allocate";
  }
}

}  // namespace

TurnTcpClient::TurnTcpClient(TurnTcpOptions options, stun::MacContext& mac)
    : options_(std::move(options)),
      mac_(mac),
      fd_(::socket(options_.server.is_v6() ? AF_INET6 : AF_INET,
                   SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)),
      in_(options_.buffer_bytes),
      out_(options_.buffer_bytes) {
  if (!fd_.valid()) throw std::runtime_error("TURN client: no socket");
  int one = 1;  // as Chromium's TCP TURN sockets: no Nagle delay on media
  ::setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (::connect(fd_.get(), options_.server.sockaddr_ptr(), options_.server.sockaddr_len()) == 0) {
    on_connected();
  } else if (errno != EINPROGRESS) {
    throw std::runtime_error("TURN client: cannot connect to " + options_.server.to_string() +
                             ": " + std::strerror(errno));
  }
}

short TurnTcpClient::events() const noexcept {
  bool want_write = state_ == State::kConnecting || !out_.empty();
  return static_cast<short>(POLLIN | (want_write ? POLLOUT : 0));
}

// The legal moves: connect -> allocate -> permit -> bind -> ready, and
// failure from anywhere.
void TurnTcpClient::set_state(State next) noexcept {
  bool legal = next == State::kFailed ||
               (state_ == State::kConnecting && next == State::kAllocating) ||
               (state_ == State::kAllocating && next == State::kPermitting) ||
               (state_ == State::kPermitting && next == State::kBinding) ||
               (state_ == State::kBinding && next == State::kReady);
  if (!legal) return fail("TURN client: illegal state change");
  state_ = next;
}

void TurnTcpClient::fail(std::string why) noexcept {
  if (state_ == State::kFailed) return;
  error_ = std::move(why);
  state_ = State::kFailed;
}

void TurnTcpClient::on_events(short revents, const Deliver& deliver) {
  if (state_ == State::kConnecting && (revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
    int err = 0;
    socklen_t len = sizeof(err);
    ::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      fail("TURN client: cannot connect to " + options_.server.to_string() + ": " +
           std::strerror(err));
    } else {
      on_connected();
    }
  }
  if (state_ != State::kFailed && state_ != State::kConnecting) {
    if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0) read_some(deliver);
    if ((revents & POLLOUT) != 0) flush();
  }
  if (state_ == State::kFailed) throw std::runtime_error(error_);
}

void TurnTcpClient::on_connected() noexcept {
  set_state(State::kAllocating);
  send_request();
}

// The request of the current state, with credentials once the server has
// told us its realm and nonce.
void TurnTcpClient::send_request() noexcept {
  MutableBytes room = out_.room(kRequestRoom);
  if (room.empty()) return fail("TURN client: output full during setup");
  store_be32(pending_.data(), ++transaction_);
  const void* self = this;  // unique among the clients of one process
  std::memcpy(pending_.data() + 4, &self, std::min(sizeof(self), pending_.size() - 4));
  stun::MessageBuilder b(room.first(kRequestRoom), method_of(state_), stun::MessageClass::kRequest,
                         pending_);
  switch (state_) {
    case State::kAllocating:
      stun::RequestedTransport{stun::kTransportUdp}.add_to(b);
      break;
    case State::kPermitting:
      stun::XorPeerAddress{options_.peer}.add_to(b);
      break;
    case State::kBinding:
      stun::ChannelNumber{options_.channel}.add_to(b);
      stun::XorPeerAddress{options_.peer}.add_to(b);
      break;
    default:
      return fail("TURN client: no request in this state");
  }
  if (authenticated_) {
    stun::Username{as_bytes(options_.username)}.add_to(b);
    stun::Realm{as_bytes(realm_)}.add_to(b);
    stun::Nonce{as_bytes(nonce_)}.add_to(b);
    b.add_message_integrity(mac_,
                            Bytes(reinterpret_cast<const std::byte*>(key_.data()), key_.size()));
  }
  b.add_fingerprint();
  if (!b.ok()) return fail("TURN client: request does not fit");
  out_.produce(b.size());
  flush();
}

void TurnTcpClient::read_some(const Deliver& deliver) noexcept {
  for (;;) {
    size_t wanted = std::min(kMinRead, in_.capacity() - in_.size());
    MutableBytes room = wanted == 0 ? MutableBytes() : in_.room(wanted);
    if (room.empty()) return fail("TURN client: a frame larger than the input buffer");
    ssize_t n = ::read(fd_.get(), room.data(), room.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0)
      return fail(n == 0 ? "TURN client: the server closed the connection"
                         : std::string("TURN client: read: ") + std::strerror(errno));
    in_.produce(static_cast<size_t>(n));
    if (!drain_frames(in_, [&](MutableBytes frame) { on_frame(frame, deliver); })) {
      return fail("TURN client: the server sent something that is not TURN");
    }
    if (state_ == State::kFailed || static_cast<size_t>(n) < room.size()) return;
  }
}

void TurnTcpClient::on_frame(MutableBytes frame, const Deliver& deliver) noexcept {
  if (is_channel_data(frame)) {
    uint16_t channel = 0;
    MutableBytes payload = channel_data_payload(frame, channel);
    if (state_ == State::kReady && channel == options_.channel) return deliver(payload);
    ++unexpected_;
    return;
  }
  on_response(frame);
}

void TurnTcpClient::on_response(Bytes frame) noexcept {
  stun::MessageView m;
  if (stun::MessageView::parse(frame, m) != stun::ParseResult::kOk ||
      !std::equal(pending_.begin(), pending_.end(), m.transaction_id().begin()) ||
      m.method() != static_cast<uint16_t>(method_of(state_))) {
    ++unexpected_;  // e.g. a Data indication: not used with a channel bound
    return;
  }
  if (m.message_class() == stun::MessageClass::kErrorResponse) return on_error_response(m);
  if (m.message_class() != stun::MessageClass::kSuccessResponse) return;
  Bytes key(reinterpret_cast<const std::byte*>(key_.data()), key_.size());
  if (authenticated_ && !stun::verify_integrity(mac_, m, key)) {
    return fail("TURN client: a response with a wrong MESSAGE-INTEGRITY");
  }
  switch (state_) {
    case State::kAllocating: {
      stun::XorRelayedAddress relayed;
      if (stun::XorRelayedAddress::get_from(m, relayed) != stun::DecodeStatus::kOk) {
        return fail("TURN client: Allocate success without XOR-RELAYED-ADDRESS");
      }
      relayed_ = relayed.address;
      set_state(State::kPermitting);
      return send_request();
    }
    case State::kPermitting:
      set_state(State::kBinding);
      return send_request();
    case State::kBinding:
      return set_state(State::kReady);
    default:
      return;
  }
}

// 401 once (learn realm and nonce), 438 whenever the nonce went stale;
// anything else ends the transport.
void TurnTcpClient::on_error_response(const stun::MessageView& m) noexcept {
  stun::ErrorCode code;
  if (stun::ErrorCode::get_from(m, code) != stun::DecodeStatus::kOk) {
    return fail("TURN client: error response without ERROR-CODE");
  }
  stun::Realm realm;
  stun::Nonce nonce;
  bool retry = (code.code == stun::error::kUnauthenticated && !authenticated_) ||
               code.code == stun::error::kStaleNonce;
  if (retry && stun::Nonce::get_from(m, nonce) == stun::DecodeStatus::kOk) {
    nonce_ = std::string(nonce.text());
    if (stun::Realm::get_from(m, realm) == stun::DecodeStatus::kOk)
      realm_ = std::string(realm.text());
    key_ = auth::md5_key(options_.username, realm_, options_.password);
    authenticated_ = true;
    return send_request();
  }
  fail(std::string("TURN client: ") + method_name(state_) + " refused with " +
       std::to_string(code.code) + " " + std::string(code.reason));
}

// A ChannelData frame is built in place: the datagram goes 4 bytes into the
// output queue, the header and padding are added by commit().
MutableBytes TurnTcpClient::reserve() noexcept {
  reserved_ = nullptr;
  if (state_ != State::kReady) return scratch_;
  MutableBytes room = out_.room(channel_data_frame_size(kMaxDatagram));
  if (room.empty()) return scratch_;
  reserved_ = room.data();
  return room.subspan(stun::kChannelDataHeaderSize, kMaxDatagram);
}

void TurnTcpClient::commit(size_t length) noexcept {
  if (length == 0) return;
  if (reserved_ == nullptr || length > kMaxDatagram) {
    ++dropped_;
    return;
  }
  out_.produce(finish_channel_data(reserved_, options_.channel, length));
  reserved_ = nullptr;
}

void TurnTcpClient::flush() noexcept {
  while (!out_.empty() && state_ != State::kConnecting && state_ != State::kFailed) {
    ssize_t n = ::send(fd_.get(), out_.data().data(), out_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // POLLOUT resumes
    if (n < 0) return fail(std::string("TURN client: send: ") + std::strerror(errno));
    out_.consume(static_cast<size_t>(n));
  }
}

}  // namespace turnd::sfu::bench
