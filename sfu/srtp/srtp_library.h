// SrtpLibrary: proof that libsrtp's process-wide crypto kernel is started.
//
// libsrtp keeps one crypto kernel per process. srtp_init() must run before
// the first session is created, and it must run only once: a second call
// fails (its debug module is already registered). The SFU creates one
// SrtpLibrary at start-up and hands it to whatever creates SrtpSessions, so
// the dependency is visible in every signature and a failure to start
// surfaces at one place, at start-up.
//
// The only state this adds is a function-local static holding the result of
// the one srtp_init() call (thread-safe initialisation, C++11 magic statics).
// srtp_shutdown() is never called: the kernel is process state owned by
// libsrtp, other owners (tests, a second SFU instance) may still hold
// sessions, and the OS reclaims it at exit.
#pragma once

namespace turnd::sfu::srtp {

class SrtpLibrary {
 public:
  SrtpLibrary();  // throws std::runtime_error when srtp_init() failed
};

}  // namespace turnd::sfu::srtp
