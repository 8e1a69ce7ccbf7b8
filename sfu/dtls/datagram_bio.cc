#include "sfu/dtls/datagram_bio.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace turnd::sfu::dtls {
namespace {

// A fixed type rather than BIO_get_new_index(), which hands out a limited
// process-wide counter on every call.
constexpr int kBioType = 0x7F | BIO_TYPE_SOURCE_SINK;

DatagramChannel* channel_of(BIO* bio) noexcept {
  return static_cast<DatagramChannel*>(BIO_get_data(bio));
}

int bio_write(BIO* bio, const char* data, int size) {
  BIO_clear_retry_flags(bio);
  return channel_of(bio)->write(data, size);
}

int bio_read(BIO* bio, char* out, int size) {
  BIO_clear_retry_flags(bio);
  int n = channel_of(bio)->read(out, size);
  if (n < 0) BIO_set_retry_read(bio);
  return n;
}

long bio_ctrl(BIO* bio, int command, long, void*) {
  return channel_of(bio)->ctrl(command);
}

int bio_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

}  // namespace

void DatagramChannel::flush() noexcept {
  if (pending_size_ == 0) return;
  size_t size = pending_size_;
  pending_size_ = 0;
  sink_(Bytes(pending_.data(), size));
}

int DatagramChannel::read(char* out, int size) noexcept {
  if (input_.empty() || size <= 0) return -1;  // nothing until the next datagram: retry
  size_t n = std::min(input_.size(), static_cast<size_t>(size));
  std::memcpy(out, input_.data(), n);  // a datagram larger than the read is truncated
  input_ = {};
  return static_cast<int>(n);
}

int DatagramChannel::write(const char* data, int size) noexcept {
  if (size <= 0) return 0;
  auto n = static_cast<size_t>(size);
  // OpenSSL sizes records to fit what is pending; this only guards the rest.
  if (pending_size_ + n > mtu_) flush();
  if (n > mtu_) {  // a record that fits no datagram (OpenSSL never makes one): alone
    sink_(Bytes(reinterpret_cast<const std::byte*>(data), n));
    return size;
  }
  std::memcpy(pending_.data() + pending_size_, data, n);
  pending_size_ += n;
  return size;
}

long DatagramChannel::ctrl(int command) noexcept {
  switch (command) {
    case BIO_CTRL_FLUSH:
      flush();
      return 1;
    case BIO_CTRL_WPENDING:
      return static_cast<long>(pending_size_);
    case BIO_CTRL_PENDING:
      return static_cast<long>(input_.size());
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return static_cast<long>(mtu_);
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      return 0;  // mtu_ already is the datagram (UDP payload) size
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT:
      return 1;  // timers are the owner's: next_timeout()/on_timeout()
    default:
      return 0;
  }
}

BioMethodPtr make_datagram_bio_method() {
  BioMethodPtr method(BIO_meth_new(kBioType, "turnd datagram"));
  if (method == nullptr || BIO_meth_set_write(method.get(), bio_write) != 1 ||
      BIO_meth_set_read(method.get(), bio_read) != 1 ||
      BIO_meth_set_ctrl(method.get(), bio_ctrl) != 1 ||
      BIO_meth_set_create(method.get(), bio_create) != 1) {
    throw std::runtime_error("DTLS: cannot create the datagram BIO method");
  }
  return method;
}

BIO* new_datagram_bio(const BIO_METHOD* method, DatagramChannel& channel) noexcept {
  BIO* bio = BIO_new(method);
  if (bio != nullptr) BIO_set_data(bio, &channel);
  return bio;
}

}  // namespace turnd::sfu::dtls
