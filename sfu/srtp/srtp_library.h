// SrtpLibrary: proof that libsrtp's process-wide crypto kernel is started,
// with turnd's OpenSSL crypto in it.
//
// libsrtp keeps one crypto kernel per process. srtp_init() must run before
// the first session is created, and it must run only once: a second call
// fails (its debug module is already registered). Right after it, the
// kernel's AES-ICM-128, AES-GCM-128 and HMAC-SHA1 are replaced by
// evp_aes_icm.h, evp_aes_gcm.h and hmac_sha1.h: OpenSSL contexts made once
// per cipher instance, instead of Debian's NSS build that allocates and
// locks on every packet. libsrtp runs each replacement's self-test and the
// replaced type's before accepting it. Everything else — packet formats,
// key derivation, replay windows, streams per SSRC — stays libsrtp's.
// (AES-ICM-192/256 and AES-GCM-256 stay NSS: no SrtpProfile uses them.)
//
// The SFU creates one SrtpLibrary at start-up and hands it to whatever
// creates SrtpSessions, so the dependency is visible in every signature and
// a failure to start surfaces at one place, at start-up.
//
// The only state this adds is a function-local static holding the result of
// that one start (thread-safe initialisation, C++11 magic statics): the
// kernel is complete before any SrtpLibrary exists, so sessions created on
// any thread afterwards see the replaced types. srtp_shutdown() is never
// called: the kernel is process state owned by libsrtp, other owners (tests,
// a second SFU instance) may still hold sessions, and the OS reclaims it at
// exit.
#pragma once

namespace turnd::sfu::srtp {

class SrtpLibrary {
 public:
  SrtpLibrary();  // throws std::runtime_error when srtp_init() or a replacement failed
};

}  // namespace turnd::sfu::srtp
