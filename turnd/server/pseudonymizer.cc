#include "turnd/server/pseudonymizer.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "turnd/common/client_key.h"
#include "turnd/common/log.h"

namespace turnd::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string to_hex(const unsigned char* data, size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

bool from_hex(std::string_view hex, std::array<unsigned char, 32>& out) {
  if (hex.size() != out.size() * 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

// Writes the key file atomically (temporary file, fsync, rename).
bool store_key(const std::filesystem::path& file, int64_t start,
               const std::array<unsigned char, 32>& key) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  std::string tmp = file.string() + ".new";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::string text = std::to_string(start) + " " + to_hex(key.data(), key.size()) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (ok) ok = ::rename(tmp.c_str(), file.c_str()) == 0;
  if (!ok) ::unlink(tmp.c_str());
  return ok;
}

}  // namespace

std::string network_prefix(const SocketAddress& address) {
  auto v4 = ipv4_bytes(address);
  if (!v4.empty()) {
    char text[32];
    std::snprintf(text, sizeof(text), "%u.%u.%u.0/24", unsigned(v4[0]), unsigned(v4[1]),
                  unsigned(v4[2]));
    return text;
  }
  auto ip = address.ip_bytes();
  if (ip.size() != 16) return {};
  std::array<std::byte, 16> masked{};
  std::memcpy(masked.data(), ip.data(), 6);
  return SocketAddress::from_bytes(masked, 0).ip_string() + "/48";
}

Pseudonymizer::Pseudonymizer(std::filesystem::path key_file, uint32_t period_seconds,
                             config::Config::AddressPseudonym address_mode, bool hash_users,
                             char rest_separator)
    : key_file_(std::move(key_file)),
      period_(period_seconds == 0 ? 1 : period_seconds),
      address_mode_(address_mode),
      hash_users_(hash_users),
      rest_separator_(rest_separator) {
  if (key_file_.empty()) return;
  std::ifstream in(key_file_);
  int64_t start = -1;
  std::string hex;
  if (in >> start >> hex && start >= 0 && from_hex(hex, key_)) period_start_ = start;
}

void Pseudonymizer::ensure_key(int64_t now) {
  if (period_start_ >= 0 && now >= period_start_ && now < period_start_ + period_) return;
  if (RAND_bytes(key_.data(), static_cast<int>(key_.size())) != 1) {
    throw std::runtime_error("no random bytes for the pseudonym key");
  }
  period_start_ = now;
  if (!key_file_.empty() && !store_key(key_file_, now, key_)) {
    LOG_WARN("sessionlog", "cannot write %s (%s): the pseudonym key lives in memory only",
             key_file_.c_str(), std::strerror(errno));
  }
  LOG_INFO("sessionlog",
           "new pseudonym key for the next %u s; hashes of older logs can no "
           "longer be recomputed",
           period_);
}

std::string Pseudonymizer::keyed_hash(std::string_view kind, std::string_view a,
                                      std::string_view b) {
  std::string input;
  input.reserve(kind.size() + a.size() + b.size() + 2);
  input.append(kind).append(1, '\0').append(a).append(1, '\0').append(b);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return to_hex(mac, 16);  // 128 bits: no collisions in practice, short rows
}

std::string Pseudonymizer::address_prefix(const SocketAddress& client) const {
  using enum config::Config::AddressPseudonym;
  if (address_mode_ != kPrefix && address_mode_ != kBoth) return {};
  return network_prefix(client);
}

std::string Pseudonymizer::address_hash(const SocketAddress& client, int64_t now) {
  using enum config::Config::AddressPseudonym;
  if (address_mode_ != kHash && address_mode_ != kBoth) return {};
  ensure_key(now);
  auto v4 = ipv4_bytes(client);
  auto ip = v4.empty() ? client.ip_bytes() : v4;
  return keyed_hash("address", {reinterpret_cast<const char*>(ip.data()), ip.size()}, {});
}

std::string Pseudonymizer::user_hash(std::string_view realm, std::string_view user, int64_t now) {
  if (!hash_users_ || user.empty()) return {};
  ensure_key(now);
  size_t sep = user.find(rest_separator_);
  if (sep != std::string_view::npos && sep > 0 &&
      user.substr(0, sep).find_first_not_of("0123456789") == std::string_view::npos) {
    user.remove_prefix(sep + 1);
  }
  return keyed_hash("user", realm, user);
}

std::string Pseudonymizer::participant_hash(std::string_view name, int64_t now) {
  if (!hash_users_ || name.empty()) return {};
  ensure_key(now);
  return keyed_hash("participant", name, {});
}

}  // namespace turnd::server
