// AES-128-GCM for SRTP/SRTCP (RFC 7714) as a libsrtp cipher type over one
// OpenSSL EVP context per cipher instance, registered for SRTP_AES_GCM_128
// by SrtpLibrary (the AEAD_AES_128_GCM profile).
//
// The contract libsrtp 2.5.0's srtp.c and self-tests rely on, per packet:
//   set_iv(iv, direction): the 12-byte IV libsrtp computed (RFC 7714 §8.1,
//     §9.1); direction is encrypt or decrypt (anything else: bad_param).
//     Starts a new message: no AAD, no data yet.
//   set_aad(aad, len): more associated data; called once or twice (SRTCP
//     adds the E flag + index word after the header), before any data.
//   encrypt(buffer, &length): encrypts in place, length unchanged, and
//     finishes the message: the tag is computed and kept. buffer may be
//     null with length 0 (SRTCP without encryption: a tag over AAD only).
//   get_tag(out, &length): writes the kept tag (tag_len bytes) and sets
//     length to tag_len.
//   decrypt(buffer, &length): buffer holds ciphertext || tag and length
//     counts both; verifies the tag (srtp_err_status_auth_fail on mismatch,
//     the buffer then holds unauthenticated plaintext to be dropped) and
//     sets length to the plaintext's.
// Setup: alloc(key_len, tag_len) takes key + 12-byte salt (28) and a tag of
// 16 or 8 bytes; init(key) uses key[0..16) and may be called again.
// Per packet: EVP_CipherInit_ex with only the IV, updates and final on the
// one context: no allocation, no lock, nothing left on OpenSSL's error queue.
// One instance must not be used by two threads at once.
#pragma once

#include <srtp2/cipher.h>

namespace turnd::sfu::srtp {

// The type to hand to srtp_replace_cipher_type(..., SRTP_AES_GCM_128). Its
// self-test data is RFC 7714's §16.1.1 (SRTP) and §17.1 (SRTCP) packets.
const srtp_cipher_type_t& evp_aes_gcm_128_type() noexcept;

}  // namespace turnd::sfu::srtp
