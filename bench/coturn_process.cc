#include "bench/coturn_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "bench/control_channel.h"

namespace turnd::sfu::bench {
namespace {

bool tcp_accepts(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  if (fd >= 0) ::close(fd);
  return ok;
}

}  // namespace

CoturnProcess::CoturnProcess(const CoturnOptions& o) : log_(o.dir + "/coturn.log") {
  std::vector<std::string> args{
      o.binary,
      "-n",  // no configuration file: everything is here
      "--listening-ip=127.0.0.1",
      "--listening-port=" + std::to_string(o.port),
      "--relay-ip=127.0.0.1",
      "--min-port=" + std::to_string(o.min_port),
      "--max-port=" + std::to_string(o.max_port),
      "--realm=" + o.realm,
      "--lt-cred-mech",
      "--user=" + o.user + ":" + o.password,
      "--relay-threads=" + std::to_string(o.relay_threads),
      "--allow-loopback-peers",
      "--no-tls",
      "--no-dtls",
      "--no-cli",
      "--log-file=stdout",
      "--simple-log",
      "--userdb=" + o.dir + "/turndb",
      "--pidfile=" + o.dir + "/coturn.pid",
  };
  std::vector<char*> argv = exec_argv(args);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork");
  if (pid_ == 0) {
    int log = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (log >= 0) {
      ::dup2(log, STDOUT_FILENO);
      ::dup2(log, STDERR_FILENO);
    }
    ::execv(o.binary.c_str(), argv.data());
    std::perror("exec turnserver");
    std::_Exit(127);
  }
  for (int i = 0; i < 100; ++i) {
    if (tcp_accepts(o.port)) return;
    if (!running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop();
  throw std::runtime_error("coturn did not start (see " + log_ + ")");
}

void CoturnProcess::stop() noexcept {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 50 && running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

bool CoturnProcess::running() noexcept {
  if (pid_ <= 0) return false;
  if (::waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
  return pid_ > 0;
}

int64_t process_cpu_ns(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos)
    throw std::runtime_error("no /proc/PID/stat for " + std::to_string(pid));
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  int64_t utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // field 3 is the state
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return (utime + stime) * (1'000'000'000 / ::sysconf(_SC_CLK_TCK));
}

}  // namespace turnd::sfu::bench
