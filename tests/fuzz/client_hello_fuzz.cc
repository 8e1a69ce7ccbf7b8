// Fuzz target: the first bytes of a connection on a port shared by the web
// and TURN (turnd/net/client_hello.h, shared_port.h). Every view the reader
// hands out must lie inside its scratch buffer, and routing must not crash.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "turnd/net/client_hello.h"
#include "turnd/net/shared_port.h"

using namespace turnd;

namespace {

bool inside(Bytes part, Bytes whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::array<std::byte, net::kMaxClientHello> scratch;
  Bytes input(reinterpret_cast<const std::byte*>(data), size);
  net::ClientHello hello;
  net::HelloStatus status = net::parse_client_hello(input, scratch, hello);
  if (status == net::HelloStatus::kComplete) {
    if (!inside(hello.alpn_list, scratch) || !inside(as_bytes(hello.server_name), scratch)) {
      std::abort();
    }
    (void)hello.offers("http/1.1");
    (void)net::route_hello(hello, {"meet.example.org", "turn.example.org"});
  } else if (hello.has_alpn || !hello.server_name.empty()) {
    std::abort();  // a refused hello leaves nothing behind
  }
  (void)net::classify_first_bytes(input);
  return 0;
}
