#include "bench/alloc_count.h"

#include <execinfo.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>

// glibc's allocator under its own names: the interposed functions below
// forward there, so memory from either is the same memory.
// NOLINTBEGIN(bugprone-reserved-identifier,readability-identifier-naming)
extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* p, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
}
// NOLINTEND(bugprone-reserved-identifier,readability-identifier-naming)

// Sanitizer builds bring their own allocator: nothing is counted there.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TURND_SANITIZED_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define TURND_SANITIZED_ALLOCATOR 1
#endif
#endif

namespace {
// In the executable: local-exec TLS, no allocation on first use.
thread_local bool t_counting = false;
thread_local uint64_t t_allocations = 0;
int g_trace_left = 0;  // TURND_BENCH_ALLOC_TRACE=N: backtraces of the first N

#ifndef TURND_SANITIZED_ALLOCATOR
thread_local bool t_tracing = false;  // inside a trace: do not trace again

// Where an unexpected allocation comes from (symbols of exported functions
// only; pipe through c++filt). Diagnostics: the trace itself may allocate.
void trace() noexcept {
  t_tracing = true;
  void* frames[32];
  int n = backtrace(frames, 32);
  backtrace_symbols_fd(frames, n, STDERR_FILENO);
  (void)!write(STDERR_FILENO, "----\n", 5);
  t_tracing = false;
}

inline void note() noexcept {
  if (!t_counting) return;
  ++t_allocations;
  if (g_trace_left > 0 && !t_tracing) {
    --g_trace_left;
    trace();
  }
}
#endif
}  // namespace

#ifndef TURND_SANITIZED_ALLOCATOR
extern "C" {

void* malloc(size_t size) noexcept {
  note();
  return __libc_malloc(size);
}

void* calloc(size_t count, size_t size) noexcept {
  note();
  return __libc_calloc(count, size);
}

void* realloc(void* p, size_t size) noexcept {
  note();
  return __libc_realloc(p, size);
}

void* aligned_alloc(size_t alignment, size_t size) noexcept {
  note();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
  note();
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

}  // extern "C"
#endif

namespace turnd::sfu::bench {

void count_allocations(bool on) noexcept {
  static const bool configured = [] {
    if (const char* n = std::getenv("TURND_BENCH_ALLOC_TRACE")) g_trace_left = std::atoi(n);
    return true;
  }();
  (void)configured;
  t_counting = on;
}

uint64_t allocations_counted() noexcept {
  return t_allocations;
}

}  // namespace turnd::sfu::bench
