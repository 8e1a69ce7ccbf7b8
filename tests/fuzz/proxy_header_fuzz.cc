// Fuzz target: the PROXY protocol header (turnd/net/proxy_header.h). A
// complete header must lie within the input and name an address of a known
// family or none.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "turnd/net/proxy_header.h"

using namespace turnd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes input(reinterpret_cast<const std::byte*>(data), size);
  net::ProxyHeader header;
  net::ProxyStatus status = net::parse_proxy_header(input, header);
  if (status == net::ProxyStatus::kComplete) {
    if (header.length == 0 || header.length > size || header.length > net::kMaxProxyHeader) {
      std::abort();
    }
    if (!header.source.empty() && header.source.family() != header.destination.family()) {
      std::abort();
    }
  } else if (!header.source.empty()) {
    std::abort();
  }
  return 0;
}
