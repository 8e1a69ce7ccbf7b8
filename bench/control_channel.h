// The load generator's control channel to the SFU process it starts: JSON
// objects in frames (a 32-bit big-endian length, then the text) over one
// end of a socketpair, and the start of that process. Control plane only:
// blocking, allocating.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace turnd::sfu::bench {

// Writes one frame; throws std::runtime_error when the peer is gone.
void write_frame(int fd, const nlohmann::json& message);
// Reads one whole frame; nullopt at end of stream. Throws on a broken frame.
std::optional<nlohmann::json> read_frame(int fd);
// Large buffers: an SDP offer per participant may be in flight at once.
void enlarge_buffers(int fd) noexcept;

// Runs this binary again as a server process: `/proc/self/exe --serve FD
// ARGS...`, FD being its end of a new control channel; `control_fd` gets
// ours. Throws std::runtime_error.
pid_t spawn_server(const std::vector<std::string>& args, int& control_fd);

// execv()'s argument vector over `args` (which must outlive it), null-terminated.
std::vector<char*> exec_argv(std::vector<std::string>& args);

}  // namespace turnd::sfu::bench
