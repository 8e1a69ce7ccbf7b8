#include "sfu/ice/binding_reply.h"

#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/xor_mapped_address.h"

namespace turnd::sfu::ice {

size_t build_binding_success(const stun::MessageView& request, const SocketAddress& source,
                             stun::MacContext& mac, Bytes key, MutableBytes out) noexcept {
  stun::MessageBuilder b(out, stun::Method::kBinding, stun::MessageClass::kSuccessResponse,
                         request.transaction_id());
  stun::XorMappedAddress{source}.add_to(b);
  b.add_message_integrity(mac, key);
  b.add_fingerprint();
  return b.ok() ? b.size() : 0;
}

size_t build_binding_error(const stun::MessageView& request, uint16_t code, MutableBytes out,
                           stun::MacContext* mac, Bytes key,
                           const stun::UnknownAttributes* unknown) noexcept {
  stun::MessageBuilder b(out, stun::Method::kBinding, stun::MessageClass::kErrorResponse,
                         request.transaction_id());
  stun::ErrorCode{code, {}}.add_to(b);
  if (unknown != nullptr) unknown->add_to(b);
  if (mac != nullptr) b.add_message_integrity(*mac, key);
  b.add_fingerprint();
  return b.ok() ? b.size() : 0;
}

}  // namespace turnd::sfu::ice
