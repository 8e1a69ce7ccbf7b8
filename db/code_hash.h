// Conference access codes: generation, slow salted hashing and verification.
// Only the hash string is ever stored. It carries the algorithm, its parameters
// and the salt, so parameters can be raised later without breaking old hashes:
//
//   $scrypt$N=32768,r=8,p=1$<salt, base64>$<32-byte hash, base64>      (default)
//   $pbkdf2-sha256$i=600000$<salt, base64>$<32-byte hash, base64>
//
// base64 is the standard alphabet without padding; salts are 16 random bytes
// (at least 16 are required), hashes exactly 32.
// Codes are normalised before hashing (lowercase, '-' and spaces removed), so
// "K7PM-2QXD" and "k7pm2qxd" are the same code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace turnd::db {

enum class CodeAlgorithm { kScrypt, kPbkdf2Sha256 };

struct CodeHashParams {
  CodeAlgorithm algorithm = CodeAlgorithm::kScrypt;
  uint64_t scrypt_n = 32768;  // 32 MiB with r=8, about 0.1 s on one core
  uint32_t scrypt_r = 8;
  uint32_t scrypt_p = 1;
  uint32_t pbkdf2_iterations = 600'000;  // OWASP's figure for PBKDF2-HMAC-SHA256
};

// A fresh code from the OS's CSPRNG: 16 characters of an alphabet without
// look-alikes (no 0/o, 1/l/i), in groups of four: "k7pm-2qxd-9hfa-wr3e",
// about 79 bits.
std::string generate_code();

// Why `code` is too weak to be an access code, or nullopt when it is fine:
// at least 10 characters after normalisation, at least 5 different ones.
std::optional<std::string> code_weakness(std::string_view code);

// Lowercase, without '-' and whitespace.
std::string normalize_code(std::string_view code);

// The hash string for `code` with a fresh salt. Throws db::Error if OpenSSL fails.
std::string hash_code(std::string_view code, const CodeHashParams& params = {});

// Whether `code` matches `hash` (constant-time comparison of the derived keys).
// False for a malformed hash or parameters outside sane bounds (a tampered row
// must not make turnd allocate gigabytes).
bool verify_code(std::string_view code, std::string_view hash);

// The raw KDFs, exposed for the RFC 7914 test vectors.
bool scrypt(std::string_view password, std::span<const std::byte> salt, uint64_t n, uint32_t r,
            uint32_t p, std::span<std::byte> out);
bool pbkdf2_sha256(std::string_view password, std::span<const std::byte> salt, uint32_t iterations,
                   std::span<std::byte> out);

}  // namespace turnd::db
