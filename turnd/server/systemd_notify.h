// The sd_notify protocol (systemd.service Type=notify), spoken directly: a
// datagram of "KEY=VALUE" lines to the AF_UNIX socket named by
// $NOTIFY_SOCKET. Without that variable (not under systemd) every call is a
// no-op, so the daemon runs the same from a shell.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace turnd::server {

class SystemdNotifier {
 public:
  SystemdNotifier();  // reads NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID

  bool active() const noexcept { return !socket_path_.empty(); }
  void ready() const { send("READY=1"); }
  void stopping() const { send("STOPPING=1"); }
  void reloading() const { send("RELOADING=1"); }
  void status(const std::string& text) const { send("STATUS=" + text); }
  void watchdog() const { send("WATCHDOG=1"); }

  // The watchdog interval systemd asked for, if any (WatchdogSec=).
  std::optional<std::chrono::microseconds> watchdog_interval() const noexcept { return watchdog_; }

  // For tests: the bytes that would be sent.
  bool send(const std::string& message) const;

 private:
  std::string socket_path_;
  std::optional<std::chrono::microseconds> watchdog_;
};

}  // namespace turnd::server
