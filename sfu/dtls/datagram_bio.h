// The socket side of a DtlsTransport as OpenSSL sees it, without a socket:
// a custom BIO that
// - reads the one datagram currently being fed (then reports "retry"), so
//   DTLS sees real datagram boundaries;
// - collects the records OpenSSL writes into a datagram of at most `mtu`
//   bytes and hands it to the sink on flush (OpenSSL flushes at the end of
//   each flight and, while fragmenting, whenever the next fragment would not
//   fit: it sizes fragments by BIO_wpending()).
// Memory BIOs lose the datagram boundaries and would glue a whole flight
// into one oversized datagram; OpenSSL 3.0 has no datagram memory BIO.
#pragma once

#include <array>
#include <cstddef>
#include <functional>

#include "sfu/dtls/openssl_ptr.h"
#include "turnd/common/bytes.h"

namespace turnd::sfu::dtls {

inline constexpr size_t kMaxMtu = 1500;

class DatagramChannel {
 public:
  using Sink = std::function<void(Bytes datagram)>;

  DatagramChannel(size_t mtu, Sink sink) : mtu_(mtu), sink_(std::move(sink)) {}
  DatagramChannel(const DatagramChannel&) = delete;
  DatagramChannel& operator=(const DatagramChannel&) = delete;

  // The datagram the next BIO_read() returns; cleared once read.
  void set_input(Bytes datagram) noexcept { input_ = datagram; }
  void clear_input() noexcept { input_ = {}; }
  // Sends what OpenSSL wrote since the last flush as one datagram.
  void flush() noexcept;

  // The BIO's callbacks.
  int read(char* out, int size) noexcept;
  int write(const char* data, int size) noexcept;
  long ctrl(int command) noexcept;

 private:
  Bytes input_;
  std::array<std::byte, kMaxMtu> pending_{};
  size_t pending_size_ = 0;
  size_t mtu_;
  Sink sink_;
};

// The BIO_METHOD for DatagramChannel (one per DtlsContext).
BioMethodPtr make_datagram_bio_method();
// A BIO over `channel` (which must outlive it); null when OpenSSL fails.
BIO* new_datagram_bio(const BIO_METHOD* method, DatagramChannel& channel) noexcept;

}  // namespace turnd::sfu::dtls
