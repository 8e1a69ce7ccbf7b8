// Framing of TURN over TCP/TLS (RFC 8656 §12.5, RFC 8489 §6.2.2): the stream
// carries STUN messages (length from their header) and ChannelData messages
// (4-byte header, payload padded to a multiple of 4). Pure function, no I/O.
#pragma once

#include <cstddef>

#include "turnd/common/bytes.h"

namespace turnd::turn {

enum class FrameStatus : unsigned char {
  kNeedMore,  // not enough bytes buffered yet
  kFrame,     // a whole frame of `length` bytes starts the buffer
  kInvalid,   // the stream is not TURN: close the connection
};

FrameStatus next_frame(Bytes buffered, size_t& length) noexcept;

}  // namespace turnd::turn
