// Result of reading one attribute from a MessageView.
#pragma once

#include <cstdint>

namespace turnd::stun {

enum class DecodeStatus : uint8_t {
  kOk,
  kAbsent,     // the message does not carry the attribute
  kMalformed,  // present but its value breaks the RFC: answer 400
};

}  // namespace turnd::stun
