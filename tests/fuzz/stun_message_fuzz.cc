// Fuzz target: the STUN message parser and every attribute decoder, plus the
// integrity and fingerprint checks, on arbitrary bytes.
#include <cstddef>
#include <cstdint>

#include "turnd/stun/attr/address.h"
#include "turnd/stun/attr/channel_number.h"
#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/even_port.h"
#include "turnd/stun/attr/icmp.h"
#include "turnd/stun/attr/lifetime.h"
#include "turnd/stun/attr/password_algorithms.h"
#include "turnd/stun/attr/requested_transport.h"
#include "turnd/stun/attr/unknown_attributes.h"
#include "turnd/stun/attr/username.h"
#include "turnd/stun/attr/xor_peer_address.h"
#include "turnd/stun/integrity.h"
#include "turnd/stun/message.h"

using namespace turnd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static stun::MacContext mac;
  Bytes input(reinterpret_cast<const std::byte*>(data), size);
  stun::MessageView m;
  if (stun::MessageView::parse(input, m) != stun::ParseResult::kOk) return 0;
  m.for_each([&](const stun::Attribute& a) {
    SocketAddress address;
    stun::decode_address(a.value, true, m.transaction_id(), address);
    return true;
  });
  stun::Username username;
  stun::Username::get_from(m, username);
  stun::ErrorCode error;
  stun::ErrorCode::get_from(m, error);
  stun::UnknownAttributes unknown;
  stun::UnknownAttributes::get_from(m, unknown);
  stun::PasswordAlgorithms algorithms;
  stun::PasswordAlgorithms::get_from(m, algorithms);
  stun::Lifetime lifetime;
  stun::Lifetime::get_from(m, lifetime);
  stun::ChannelNumber channel;
  stun::ChannelNumber::get_from(m, channel);
  stun::EvenPort even;
  stun::EvenPort::get_from(m, even);
  stun::Icmp icmp;
  stun::Icmp::get_from(m, icmp);
  stun::RequestedTransport transport;
  stun::RequestedTransport::get_from(m, transport);
  stun::XorPeerAddress peer;
  stun::XorPeerAddress::get_from(m, peer);
  stun::verify_integrity(mac, m, as_bytes("key"));
  stun::verify_integrity_sha256(mac, m, as_bytes("key"));
  stun::verify_fingerprint(m);
  return 0;
}
