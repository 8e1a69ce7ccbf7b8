// Parses SDP text (RFC 8866) into a SessionDescription: Chromium's and
// Firefox's offers and answers, CRLF or LF line endings. Attributes the model
// has no field for are kept; lines that break the grammar of what the model
// reads are refused with the line number and the reason. Never throws on
// any input (std::bad_alloc aside).
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "sfu/sdp/session_description.h"

namespace turnd::sfu::sdp {

inline constexpr size_t kMaxSdpLines = 10'000;

struct SdpError {
  size_t line = 0;  // 1-based; 0 when not about one line (negotiation)
  std::string reason;
  // "line 12: bad a=rtpmap payload type" or just the reason.
  std::string message() const;
};

std::variant<SessionDescription, SdpError> parse(std::string_view text);

}  // namespace turnd::sfu::sdp
