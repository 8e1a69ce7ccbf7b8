// The SFU side of the load run, in a process of its own (`sfu_load --serve`):
// the SFU's media plane (bench/sfu_media_plane.h) on a UDP socket on a free
// port of 127.0.0.1, signalled over the control channel. Sends
// {"op":"ready","port":P,...} once (P: the media port), then serves the
// control frames until "quit" or the end of the stream.
#pragma once

#include "bench/sfu_media_plane.h"

namespace turnd::sfu::bench {

// Returns an exit code.
int serve_sfu(int control_fd);

}  // namespace turnd::sfu::bench
