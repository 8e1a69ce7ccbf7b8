// The load generator's control channel to the SFU process it starts: JSON
// objects in frames (a 32-bit big-endian length, then the text) over one
// end of a socketpair. Control plane only: blocking, allocating.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

namespace turnd::sfu::bench {

// Writes one frame; throws std::runtime_error when the peer is gone.
void write_frame(int fd, const nlohmann::json& message);
// Reads one whole frame; nullopt at end of stream. Throws on a broken frame.
std::optional<nlohmann::json> read_frame(int fd);
// Large buffers: an SDP offer per participant may be in flight at once.
void enlarge_buffers(int fd) noexcept;

}  // namespace turnd::sfu::bench
