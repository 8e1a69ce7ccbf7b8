#include "turnd/turn/stream_framer.h"

#include "turnd/stun/constants.h"

namespace turnd::turn {

FrameStatus next_frame(Bytes buffered, size_t& length) noexcept {
  if (buffered.size() < 4) return FrameStatus::kNeedMore;
  auto first = static_cast<uint8_t>(buffered[0]);
  size_t body = load_be16(buffered.data() + 2);
  if ((first & 0xC0) == 0x00) {  // STUN
    if (body % 4 != 0) return FrameStatus::kInvalid;
    if (buffered.size() >= 8 && load_be32(buffered.data() + 4) != stun::kMagicCookie) {
      return FrameStatus::kInvalid;
    }
    length = stun::kHeaderSize + body;
  } else if ((first & 0xC0) == 0x40) {  // ChannelData 0x4000-0x7FFF
    length = stun::kChannelDataHeaderSize + pad4(body);
  } else {
    return FrameStatus::kInvalid;
  }
  return buffered.size() >= length ? FrameStatus::kFrame : FrameStatus::kNeedMore;
}

}  // namespace turnd::turn
