#include "turnd/common/log.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace turnd::log {
namespace {

struct Sink {
  std::atomic<int> level{static_cast<int>(Level::kInfo)};
  std::atomic<bool> privacy{true};
  std::mutex mutex;  // serialises whole lines; logging is off the packet path
  FILE* file = stderr;
  std::array<unsigned char, 32> key{};
  std::once_flag key_once;
};

Sink& sink() {
  static Sink s;  // the process's one log sink, like stderr itself
  return s;
}

const char* level_name(Level level) {
  switch (level) {
    case Level::kError:
      return "error";
    case Level::kWarning:
      return "warning";
    case Level::kInfo:
      return "info";
    case Level::kDebug:
      return "debug";
  }
  return "?";
}

std::string keyed_token(const void* data, size_t size) {
  Sink& s = sink();
  std::call_once(s.key_once, [&] { RAND_bytes(s.key.data(), static_cast<int>(s.key.size())); });
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, s.key.data(), s.key.size());
  EVP_DigestUpdate(ctx, data, size);
  EVP_DigestFinal_ex(ctx, digest.data(), &length);
  EVP_MD_CTX_free(ctx);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 4; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace

void configure(Level level, const std::string& file_path, bool privacy) {
  Sink& s = sink();
  std::lock_guard lock(s.mutex);
  s.level = static_cast<int>(level);
  s.privacy = privacy;
  FILE* next = stderr;
  if (!file_path.empty() && file_path != "stderr") {
    next = std::fopen(file_path.c_str(), "a");
    if (next == nullptr) next = stderr;
  }
  if (s.file != stderr && s.file != next) std::fclose(s.file);
  s.file = next;
}

bool enabled(Level level) noexcept {
  return static_cast<int>(level) <= sink().level.load(std::memory_order_relaxed);
}

bool privacy() noexcept {
  return sink().privacy.load(std::memory_order_relaxed);
}

void write(Level level, const char* tag, const char* format, ...) noexcept {
  char message[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  Sink& s = sink();
  std::lock_guard lock(s.mutex);
  if (s.file == stderr) {  // journald adds its own timestamps
    std::fprintf(s.file, "%s: [%s] %s\n", level_name(level), tag, message);
  } else {
    char stamp[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::fprintf(s.file, "%s %s: [%s] %s\n", stamp, level_name(level), tag, message);
  }
  std::fflush(s.file);
}

std::string pseudonym(const SocketAddress& address) {
  if (!privacy()) return address.to_string();
  auto ip = address.ip_bytes();
  return (address.is_v6() ? "ip6-" : "ip4-") + keyed_token(ip.data(), ip.size());
}

std::string printable(std::string_view client_text, size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < client_text.size() && i < max; ++i) {
    auto c = static_cast<unsigned char>(client_text[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  if (client_text.size() > max) out += "...";
  return out;
}

std::string pseudonym(std::string_view user_name) {
  if (!privacy()) return std::string(user_name);
  return "user-" + keyed_token(user_name.data(), user_name.size());
}

}  // namespace turnd::log
