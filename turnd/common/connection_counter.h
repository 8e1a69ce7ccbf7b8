// ConnectionCounter: open connections per client address, per its network
// and in total, each with a limit, so that one address (or one /24 or /48)
// can never take every connection a listener accepts. "An address" is an IPv4
// address or an IPv6 /64 and "its network" an IPv4 /24 or IPv6 /48
// (client_key.h). admit() before anything is spent on a connection (before
// the TLS handshake), release() exactly once for each admitted one. One
// thread; memory grows only with the addresses that have connections open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "turnd/common/client_key.h"

namespace turnd {

class ConnectionCounter {
 public:
  struct Limits {
    uint32_t per_address = 1024;  // a company behind one NAT address fits
    uint32_t per_network = 2048;
    uint32_t total = 8192;
  };
  enum class Verdict : uint8_t { kAdmitted, kAddressFull, kNetworkFull, kTotalFull };

  ConnectionCounter() : ConnectionCounter(Limits{}) {}
  explicit ConnectionCounter(Limits limits) : limits_(limits) {}

  Verdict admit(const SocketAddress& client);
  void release(const SocketAddress& client) noexcept;

  size_t total() const noexcept { return total_; }
  uint32_t of_address(const SocketAddress& client) const noexcept;
  const Limits& limits() const noexcept { return limits_; }

 private:
  Limits limits_;
  size_t total_ = 0;
  std::unordered_map<ClientKey, uint32_t, ClientKeyHash> addresses_;
  std::unordered_map<ClientKey, uint32_t, ClientKeyHash> networks_;
};

const char* to_string(ConnectionCounter::Verdict v) noexcept;

}  // namespace turnd
