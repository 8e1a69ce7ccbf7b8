// Binding (RFC 8489 §3, §6.3.1): answered on every listener, no credentials.
#include "turnd/stun/attr/xor_mapped_address.h"
#include "turnd/turn/request.h"

namespace turnd::turn {

void Server::handle_binding(Request& r) noexcept {
  if (policy_->options.no_stun) return;
  metrics_.binding_requests.add();
  stun::MessageBuilder b = start_response(r, stun::MessageClass::kSuccessResponse);
  stun::XorMappedAddress{r.tuple.client}.add_to(b);
  finish_response(r, b);
  metrics_.binding_responses.add();
}

}  // namespace turnd::turn
