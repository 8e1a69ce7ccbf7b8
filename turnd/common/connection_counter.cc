#include "turnd/common/connection_counter.h"

namespace turnd {
namespace {

uint32_t count_of(const std::unordered_map<ClientKey, uint32_t, ClientKeyHash>& map, ClientKey k) {
  auto it = map.find(k);
  return it == map.end() ? 0 : it->second;
}

void decrement(std::unordered_map<ClientKey, uint32_t, ClientKeyHash>& map, ClientKey k) noexcept {
  auto it = map.find(k);
  if (it == map.end()) return;
  if (--it->second == 0) map.erase(it);
}

}  // namespace

ConnectionCounter::Verdict ConnectionCounter::admit(const SocketAddress& client) {
  ClientKey address = ClientKey::host(client), network = ClientKey::network(client);
  if (total_ >= limits_.total) return Verdict::kTotalFull;
  if (count_of(addresses_, address) >= limits_.per_address) return Verdict::kAddressFull;
  if (count_of(networks_, network) >= limits_.per_network) return Verdict::kNetworkFull;
  ++addresses_[address];
  ++networks_[network];
  ++total_;
  return Verdict::kAdmitted;
}

void ConnectionCounter::release(const SocketAddress& client) noexcept {
  if (total_ == 0) return;
  --total_;
  decrement(addresses_, ClientKey::host(client));
  decrement(networks_, ClientKey::network(client));
}

uint32_t ConnectionCounter::of_address(const SocketAddress& client) const noexcept {
  return count_of(addresses_, ClientKey::host(client));
}

const char* to_string(ConnectionCounter::Verdict v) noexcept {
  switch (v) {
    case ConnectionCounter::Verdict::kAdmitted:
      return "admitted";
    case ConnectionCounter::Verdict::kAddressFull:
      return "too many connections from its address";
    case ConnectionCounter::Verdict::kNetworkFull:
      return "too many connections from its network";
    case ConnectionCounter::Verdict::kTotalFull:
      return "too many connections";
  }
  return "?";
}

}  // namespace turnd
