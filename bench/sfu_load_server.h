// The SFU side of the load run, in a process of its own (`sfu_load --serve`):
// the SFU's media plane as turnd's SfuService runs it — a libevent loop
// (turnd/net EventBase) with the UDP media socket (UdpListener + DatagramIo:
// recvmmsg in, sendmmsg out at the end of each loop round) feeding the
// MediaEndpoint, WebRtcTransports and the Conference, whose timer runs every
// 50 ms — on a real socket on 127.0.0.1. Its signalling comes over the
// control channel instead of WSS: frames are handed to the Conference as the
// signal thread's are, on the media thread.
//
// Control frames in: {"op":"open","c":ID} {"op":"message","c":ID,"text":T}
// {"op":"count","on":B} (count heap allocations on the media thread)
// {"op":"stats"} {"op":"quit"}. Out: {"op":"ready","port":P} once,
// {"op":"send","c":ID,"text":T}, {"op":"stats",...} (see stats_of()).
#pragma once

namespace turnd::sfu::bench {

inline constexpr const char* kLoadRoom = "load";
inline constexpr const char* kLoadCode = "load-code-1357";

// Runs until "quit" or the end of the control stream; returns an exit code.
int serve_sfu(int control_fd);

}  // namespace turnd::sfu::bench
