// Debian's coturn (`turnserver`) as the reference TURN server of the
// TURN-to-SFU load run: started on 127.0.0.1 with command-line options only
// (-n: no config file), TCP and UDP listening, no TLS/DTLS, no CLI, a static
// long-term user, loopback peers allowed (the SFU is on 127.0.0.1), its own
// log and user database in a scratch folder; stopped with SIGTERM, then
// SIGKILL. Also the CPU time of any process, from /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace turnd::sfu::bench {

struct CoturnOptions {
  std::string binary = "/usr/bin/turnserver";
  uint16_t port = 0;  // TCP and UDP listener
  uint16_t min_port = 0, max_port = 0;
  std::string realm, user, password;
  unsigned relay_threads = 2;
  std::string dir;  // scratch folder: log, user database, pid file
};

class CoturnProcess {
 public:
  // Starts coturn and waits (up to 10 s) until its TCP port accepts
  // connections; throws std::runtime_error.
  explicit CoturnProcess(const CoturnOptions& options);
  ~CoturnProcess() { stop(); }
  CoturnProcess(const CoturnProcess&) = delete;
  CoturnProcess& operator=(const CoturnProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }
  bool running() noexcept;  // reaps it when it has ended
  void stop() noexcept;
  const std::string& log_file() const noexcept { return log_; }

 private:
  pid_t pid_ = -1;
  std::string log_;
};

// utime + stime of every thread of `pid` (/proc/PID/stat), in ns; the
// kernel counts in ticks (10 ms), so compare over seconds, not moments.
int64_t process_cpu_ns(pid_t pid);

}  // namespace turnd::sfu::bench
