// AES-128 in SRTP's integer counter mode (RFC 3711 §4.1.1) as a libsrtp
// cipher type over one OpenSSL EVP AES-128-CTR context per cipher instance,
// registered for SRTP_AES_ICM_128 by SrtpLibrary. libsrtp uses this one
// type for AES_CM_128_HMAC_SHA1_80's payload encryption and, whatever the
// profile, for the key derivation (RFC 3711 §4.3: AES-CM keyed with the
// master key and salt, 30 bytes).
//
// The contract libsrtp 2.5.0 relies on (crypto/include/cipher.h):
//   alloc(key_len, tag_len): key_len is key + 14-byte salt, so 30; tag_len
//     is ignored. Creates the EVP context (the only allocations).
//   init(key): key[0..16) is the AES key, key[16..30) the salt; may be
//     called again with a new key (the self-tests do).
//   set_iv(iv, direction): the 16-byte counter block is salt||0x0000 XOR
//     iv; the direction does not matter (encryption = decryption).
//   encrypt / decrypt(buffer, &length): XOR the next `length` keystream
//     bytes into buffer in place, continuing after earlier calls since
//     set_iv; length is unchanged. The block counter is the last 16 bits:
//     more than 2^16 blocks after one set_iv fails (srtp_err_status_terminus)
//     instead of carrying into the packet index.
//   no set_aad / get_tag.
// Per packet: EVP_EncryptInit_ex with only a new IV and EVP_EncryptUpdate,
// no allocation, no lock. One instance must not be used by two threads at
// once (libsrtp shares it between the SSRC streams of one srtp_t).
#pragma once

#include <srtp2/cipher.h>

namespace turnd::sfu::srtp {

// The type to hand to srtp_replace_cipher_type(..., SRTP_AES_ICM_128). Its
// self-test data is RFC 3711 Appendix B.2 (keystream) and B.3 (the cipher
// key derived from the master key).
const srtp_cipher_type_t& evp_aes_icm_128_type() noexcept;

}  // namespace turnd::sfu::srtp
