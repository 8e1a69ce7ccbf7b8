// One measured run of the TURN-to-SFU load (bench/sfu_turn_load.cc) in one
// of its relay modes, each with fresh server processes on 127.0.0.1:
//
//   direct     the participants' UDP sockets talk to the SFU (sfu_load's
//              path): the baseline for latency.
//   inprocess  every PeerConnection goes through TURN over TCP to turnd's
//              workers, which hand it to the SFU in the same process
//              (SfuBridge, sfu-inprocess-relay=on): one process,
//              bench/sfu_turn_server.h.
//   kernel     the same process with sfu-inprocess-relay=off: the
//              allocation's UDP relay socket sends to the SFU's UDP socket
//              through the kernel's loopback, and back.
//   coturn     TURN over TCP to Debian's coturn, which relays over UDP
//              loopback to the SFU in a process of its own (sfu_load --serve).
//
// What is counted between the start and the end of the media phase: RTP
// packets the subscribers received and decrypted, the SFU's forwarded
// packets, loss, the server side's CPU (all threads of turnd's process; for
// coturn: coturn's process plus the SFU's), and the one-way delay of every
// decrypted packet (bench/latency_histogram.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bench/sfu_load_clients.h"

namespace turnd::sfu::bench {

enum class RelayMode : uint8_t { kDirect, kInProcess, kKernel, kCoturn };

const char* mode_name(RelayMode mode) noexcept;
// Throws std::invalid_argument for an unknown name.
RelayMode parse_mode(const std::string& name);

struct ModeSettings {
  LoadOptions load;            // participants, rates, seconds
  unsigned relay_threads = 2;  // turnd's workers and coturn's relay threads
  std::string coturn_binary = "/usr/bin/turnserver";
  std::string scratch_dir;  // configs, coturn's log and user database
  // Not empty: `perf record -g` on the server processes during the media
  // phase, into PERF_DIR/MODE-ROOM.perf.data (the CPU figures then include
  // perf's overhead: profile and measure in separate runs).
  std::string perf_dir;
};

// NOLINTNEXTLINE(bugprone-exception-escape): json member, made once per run
struct ModeResult {
  RelayMode mode = RelayMode::kDirect;
  LoadResult load;
  double forwarded = 0;         // the SFU's forwarded packets
  double cpu_seconds = 0;       // the whole server side
  double sfu_cpu_seconds = 0;   // the SFU's media thread (coturn mode: the SFU's process)
  double turn_cpu_seconds = 0;  // turnd's workers, or coturn's process
  double p50_us = -1, p99_us = -1;
  uint64_t latency_samples = 0;
  nlohmann::json turn;  // turnd's TURN and bridge counters over the run (delta)
  // Kernel receive-buffer drops over the run: the SFU's media socket, the
  // participants' UDP sockets (direct), the relay sockets (kernel, coturn).
  uint64_t sfu_socket_drops = 0, client_socket_drops = 0, relay_socket_drops = 0;
};

// Throws std::runtime_error when a server does not start, the room cannot
// be set up, a packet does not decrypt, or a mode did not take the path it
// names (e.g. inprocess packets that went through relay sockets).
ModeResult run_mode(RelayMode mode, const ModeSettings& settings);

}  // namespace turnd::sfu::bench
