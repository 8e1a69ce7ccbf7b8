#include "bench/control_channel.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "turnd/common/bytes.h"

namespace turnd::sfu::bench {
namespace {

constexpr uint32_t kMaxFrame = 16u << 20;

void write_all(int fd, const std::byte* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) throw std::runtime_error("control channel: write failed");
    p += w;
    n -= static_cast<size_t>(w);
  }
}

// False at a clean end of stream before the first byte.
bool read_all(int fd, std::byte* p, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = ::read(fd, p + done, n - done);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0 && done == 0) return false;
    if (r <= 0) throw std::runtime_error("control channel: truncated frame");
    done += static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

void write_frame(int fd, const nlohmann::json& message) {
  std::string text = message.dump();
  std::byte header[4];
  store_be32(header, static_cast<uint32_t>(text.size()));
  write_all(fd, header, 4);
  write_all(fd, reinterpret_cast<const std::byte*>(text.data()), text.size());
}

std::optional<nlohmann::json> read_frame(int fd) {
  std::byte header[4];
  if (!read_all(fd, header, 4)) return std::nullopt;
  uint32_t size = load_be32(header);
  if (size > kMaxFrame) throw std::runtime_error("control channel: frame too large");
  std::string text(size, '\0');
  if (size > 0 && !read_all(fd, reinterpret_cast<std::byte*>(text.data()), size)) {
    throw std::runtime_error("control channel: truncated frame");
  }
  return nlohmann::json::parse(text);
}

void enlarge_buffers(int fd) noexcept {
  int size = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

std::vector<char*> exec_argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

pid_t spawn_server(const std::vector<std::string>& args, int& control_fd) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw std::runtime_error("socketpair");
  }
  enlarge_buffers(fds[0]);
  enlarge_buffers(fds[1]);
  std::vector<std::string> argv_text{"sfu-load-server", "--serve", std::to_string(fds[1])};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv = exec_argv(argv_text);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    ::close(fds[0]);
    int flags = ::fcntl(fds[1], F_GETFD);  // the server's end survives exec
    ::fcntl(fds[1], F_SETFD, flags & ~FD_CLOEXEC);
    ::execv("/proc/self/exe", argv.data());
    std::perror("exec");
    std::_Exit(127);
  }
  ::close(fds[1]);
  control_fd = fds[0];
  return pid;
}

}  // namespace turnd::sfu::bench
