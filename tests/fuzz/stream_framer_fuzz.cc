// Fuzz target: TURN over TCP/TLS framing. Splits arbitrary bytes into frames
// the way a connection does and checks every frame lies within the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "turnd/turn/stream_framer.h"

using namespace turnd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes rest(reinterpret_cast<const std::byte*>(data), size);
  while (!rest.empty()) {
    size_t length = 0;
    turn::FrameStatus status = turn::next_frame(rest, length);
    if (status != turn::FrameStatus::kFrame) break;
    if (length == 0 || length > rest.size()) std::abort();
    rest = rest.subspan(length);
  }
  return 0;
}
