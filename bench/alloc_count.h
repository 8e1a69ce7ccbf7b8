// Heap allocation counting for the SFU benchmarks. alloc_count.cc interposes
// malloc, calloc, realloc, aligned_alloc and posix_memalign (operator new and
// the C libraries — OpenSSL, libsrtp, libevent — all allocate through them)
// and forwards to glibc's own allocator; it counts only on threads that
// asked for it, so a benchmark counts its own path and nothing else.
// Linking alloc_count.cc into an executable is what turns counting on;
// counting never allocates. Sanitizer builds keep their own allocator and
// count nothing (always 0). TURND_BENCH_ALLOC_TRACE=N in the environment
// prints the backtraces of the first N allocations counted (diagnostics).
#pragma once

#include <cstdint>

namespace turnd::sfu::bench {

// Starts or stops counting on the calling thread.
void count_allocations(bool on) noexcept;
// Allocations made on the calling thread while counting was on.
uint64_t allocations_counted() noexcept;

}  // namespace turnd::sfu::bench
