// The server process of the TURN-to-SFU load run (`sfu_turn_load --serve FD
// CONFIG`): what turnd's daemon runs for a browser that reaches the SFU
// through TURN, minus PostgreSQL — the configuration file read by turnd's
// own parser, SharedState, the SfuBridge (in process or not, as
// `sfu-inprocess-relay` says), one turnd Worker per relay thread with its
// TCP/UDP listeners, relay sockets and turn::Server, and the SFU's media
// thread (bench/sfu_media_plane.h) on the SFU's media address of the config,
// wired in the daemon's order (turnd/server/daemon.cc). The room and its
// access code are given directly, signalling comes over the control channel.
//
// Sends {"op":"ready","port":SFU_PORT,"workers":N,"inprocess":B,...} once;
// each stats frame adds the workers' and the bridge's counters ("turn": {...}).
#pragma once

#include <string>

namespace turnd::sfu::bench {

// Returns an exit code.
int serve_sfu_behind_turn(int control_fd, const std::string& config_file);

}  // namespace turnd::sfu::bench
