// Allocate (RFC 8656 §7.1-7.2, RFC 6156 §4, RFC 8656 §7.2 dual allocation).
#include <algorithm>
#include <cstring>

#include "turnd/stun/attr/additional_address_family.h"
#include "turnd/stun/attr/dont_fragment.h"
#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/even_port.h"
#include "turnd/stun/attr/lifetime.h"
#include "turnd/stun/attr/requested_address_family.h"
#include "turnd/stun/attr/requested_transport.h"
#include "turnd/stun/attr/reservation_token.h"
#include "turnd/stun/attr/username.h"
#include "turnd/stun/attr/xor_mapped_address.h"
#include "turnd/stun/attr/xor_relayed_address.h"
#include "turnd/turn/request.h"

namespace turnd::turn {
namespace {

// Which relay families an Allocate asks for (RFC 8656 §7.2 steps 7-9).
struct FamilyPlan {
  Family primary = Family::kIPv4;
  bool additional_ipv6 = false;
  uint16_t error = 0;
};

FamilyPlan plan_families(const stun::MessageView& m, bool has_token) noexcept {
  FamilyPlan plan;
  stun::RequestedAddressFamily requested;
  stun::AdditionalAddressFamily additional;
  auto req = stun::RequestedAddressFamily::get_from(m, requested);
  auto add = stun::AdditionalAddressFamily::get_from(m, additional);
  if (req == stun::DecodeStatus::kMalformed || add == stun::DecodeStatus::kMalformed) {
    plan.error = stun::error::kBadRequest;
  } else if (req == stun::DecodeStatus::kOk && add == stun::DecodeStatus::kOk) {
    plan.error = stun::error::kBadRequest;  // both at once is not allowed
  } else if (req == stun::DecodeStatus::kOk) {
    if (has_token) {
      plan.error = stun::error::kBadRequest;  // RESERVATION-TOKEN fixes the family
    } else if (requested.value == stun::kFamilyIPv4) {
      plan.primary = Family::kIPv4;
    } else if (requested.value == stun::kFamilyIPv6) {
      plan.primary = Family::kIPv6;
    } else {
      plan.error = stun::error::kAddressFamilyNotSupported;
    }
  } else if (add == stun::DecodeStatus::kOk) {
    if (additional.value != stun::kFamilyIPv6) {
      plan.error = stun::error::kBadRequest;
    } else {
      plan.additional_ipv6 = true;
    }
  }
  return plan;
}

}  // namespace

uint32_t Server::granted_lifetime(const stun::MessageView& m, bool& zero_requested) const noexcept {
  stun::Lifetime lifetime;
  zero_requested = false;
  if (stun::Lifetime::get_from(m, lifetime) != stun::DecodeStatus::kOk) {
    return policy_->options.default_lifetime;
  }
  zero_requested = lifetime.seconds == 0;
  // RFC 8656 §7.2: min(requested, maximum), but never below the default.
  uint32_t wanted = std::min(lifetime.seconds, policy_->options.max_lifetime);
  return std::max(wanted,
                  std::min(policy_->options.default_lifetime, policy_->options.max_lifetime));
}

void Server::handle_allocate(Request& r) noexcept {
  const stun::MessageView& m = r.message;
  // 1. The server MUST require that the request be authenticated: done by
  //    handle_stun before any TURN handler runs.
  // 2. A 5-tuple already in use: a retransmission is answered again, anything else is 437.
  if (r.allocation != nullptr) {
    if (r.allocation->allocate_id() == m.transaction_id_copy()) {
      send_allocate_success(r, *r.allocation);
    } else {
      send_error(r, stun::error::kAllocationMismatch);
    }
    return;
  }
  // 3. REQUESTED-TRANSPORT must be there, and UDP.
  stun::RequestedTransport transport;
  if (stun::RequestedTransport::get_from(m, transport) != stun::DecodeStatus::kOk) {
    return send_error(r, stun::error::kBadRequest);
  }
  if (transport.value != stun::kTransportUdp) {
    return send_error(r, stun::error::kUnsupportedTransportProtocol);
  }
  // 4. DONT-FRAGMENT is supported: applied to the relay socket below.
  stun::DontFragment dont_fragment;
  bool df = stun::DontFragment::get_from(m, dont_fragment) == stun::DecodeStatus::kOk;
  // 5-6. RESERVATION-TOKEN and EVEN-PORT exclude each other.
  stun::ReservationToken token;
  stun::EvenPort even;
  auto token_status = stun::ReservationToken::get_from(m, token);
  auto even_status = stun::EvenPort::get_from(m, even);
  if (token_status == stun::DecodeStatus::kMalformed ||
      even_status == stun::DecodeStatus::kMalformed ||
      (token_status == stun::DecodeStatus::kOk && even_status == stun::DecodeStatus::kOk)) {
    return send_error(r, stun::error::kBadRequest);
  }
  bool has_token = token_status == stun::DecodeStatus::kOk;
  // 7-9. Address families.
  FamilyPlan plan = plan_families(m, has_token);
  if (plan.error != 0) return send_error(r, plan.error);
  if (!has_token && !deps_.relays.supports(plan.primary)) {
    return send_error(r, stun::error::kAddressFamilyNotSupported);
  }
  // 10. Quotas (486).
  stun::Username username;
  stun::Username::get_from(m, username);
  if (!deps_.quota.acquire(username.text())) {
    metrics_.quota_rejections.add();
    return send_error(r, stun::error::kAllocationQuotaReached);
  }
  RelayRequest request;
  request.family = plan.primary;
  request.even_port = even_status == stun::DecodeStatus::kOk;
  request.reserve_next = request.even_port && even.reserve_next;
  if (has_token) std::memcpy(&request.reservation_token, token.value.data(), 8);
  auto allocation = std::make_unique<Allocation>(
      r.tuple, r.link.retain(), std::string(username.text()), m.transaction_id_copy());
  if (r.sfu_only) allocation->set_sfu_only();
  RelayResult primary = deps_.relays.open(request, *this, allocation.get());
  if (!primary.socket) {
    deps_.quota.release(username.text());
    return send_error(r, primary.error != 0 ? primary.error : stun::error::kInsufficientCapacity);
  }
  if (df) primary.socket->set_dont_fragment(true);
  allocation->add_relay(std::move(primary.socket));
  allocation->set_reservation_token(primary.reservation_token);
  uint16_t additional_error = 0;
  if (plan.additional_ipv6) {
    RelayRequest v6;
    v6.family = Family::kIPv6;
    RelayResult second = deps_.relays.supports(Family::kIPv6)
                             ? deps_.relays.open(v6, *this, allocation.get())
                             : RelayResult{nullptr, 0, stun::error::kAddressFamilyNotSupported};
    if (second.socket) {
      allocation->add_relay(std::move(second.socket));
    } else {  // RFC 8656 §7.2: the IPv4 allocation stands; say why IPv6 failed
      additional_error = second.error != 0 ? second.error : stun::error::kInsufficientCapacity;
    }
  }
  bool zero = false;
  allocation->set_expires(deps_.clock.now() + Seconds(granted_lifetime(m, zero)));
  allocation->set_key(r.key, r.algorithm);
  allocation->set_additional_family_error(additional_error);
  allocation->set_session(next_session_id(), deps_.clock.unix_seconds());
  Allocation& created = *allocation;
  allocations_.emplace(r.tuple, std::move(allocation));
  metrics_.allocations_created.add();
  metrics_.allocations_active.add();
  metrics_.allocations_by_transport[static_cast<size_t>(r.tuple.transport)].add();
  metrics_.active_by_transport[static_cast<size_t>(r.tuple.transport)].add();
  if (deps_.sessions != nullptr) deps_.sessions->on_allocation_started(created);
  send_allocate_success(r, created);
}

void Server::send_allocate_success(Request& r, Allocation& a) noexcept {
  stun::MessageBuilder b = start_response(r, stun::MessageClass::kSuccessResponse);
  for (size_t i = 0; i < a.relay_count(); ++i) {
    stun::XorRelayedAddress{deps_.relays.advertised(a.relay(i).local_address())}.add_to(b);
  }
  if (a.additional_family_error() != 0) {
    stun::AddressErrorCode{stun::kFamilyIPv6, a.additional_family_error(), {}}.add_to(b);
  }
  auto remaining = std::chrono::duration_cast<Seconds>(a.expires() - deps_.clock.now()).count();
  stun::Lifetime{static_cast<uint32_t>(std::max<int64_t>(remaining, 0))}.add_to(b);
  if (a.reservation_token() != 0) {
    std::byte token[8];
    uint64_t value = a.reservation_token();
    std::memcpy(token, &value, 8);
    b.add(stun::attr::kReservationToken, token);
  }
  stun::XorMappedAddress{r.tuple.client}.add_to(b);
  finish_response(r, b);
}

}  // namespace turnd::turn
