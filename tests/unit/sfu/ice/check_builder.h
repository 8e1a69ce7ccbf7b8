// Test helper: browser-like ICE connectivity checks built with turnd's
// MessageBuilder (USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE,
// MESSAGE-INTEGRITY, FINGERPRINT), and a parsed copy of the agent's reply.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/ice_controlled.h"
#include "turnd/stun/attr/ice_controlling.h"
#include "turnd/stun/attr/priority.h"
#include "turnd/stun/attr/use_candidate.h"
#include "turnd/stun/attr/username.h"
#include "turnd/stun/integrity.h"
#include "turnd/stun/message.h"

namespace turnd::sfu::ice::test {

struct Check {
  std::string username;  // "OURUFRAG:THEIRUFRAG"
  std::string pwd;       // the key for MESSAGE-INTEGRITY
  uint32_t priority = 0x6E0001FF;
  bool controlling = true;
  bool controlled = false;
  bool use_candidate = false;
  bool with_username = true;
  bool with_integrity = true;
  bool with_fingerprint = true;
  std::optional<uint16_t> extra_attribute;  // an empty attribute of this type
  uint8_t id = 1;                           // varies the transaction id
  stun::MessageClass cls = stun::MessageClass::kRequest;
};

inline std::vector<std::byte> build(const Check& c, stun::MacContext& mac) {
  std::array<std::byte, stun::kTransactionIdSize> tid{};
  for (size_t i = 0; i < tid.size(); ++i) tid[i] = std::byte(c.id + i * 7);
  std::array<std::byte, 512> buffer{};
  stun::MessageBuilder b(buffer, stun::Method::kBinding, c.cls, tid);
  if (c.with_username) stun::Username{as_bytes(c.username)}.add_to(b);
  stun::Priority{c.priority}.add_to(b);
  if (c.controlling) stun::IceControlling{0x1122334455667788ull}.add_to(b);
  if (c.controlled) stun::IceControlled{0x0102030405060708ull}.add_to(b);
  if (c.use_candidate) stun::UseCandidate{}.add_to(b);
  if (c.extra_attribute) b.add(*c.extra_attribute, {});
  if (c.with_integrity) b.add_message_integrity(mac, as_bytes(c.pwd));
  if (c.with_fingerprint) b.add_fingerprint();
  EXPECT_TRUE(b.ok());
  return {b.bytes().begin(), b.bytes().end()};
}

// The agent's reply, parsed.
struct Reply {
  std::vector<std::byte> bytes;
  stun::MessageView view;
  bool valid = false;

  explicit Reply(Bytes data) : bytes(data.begin(), data.end()) {
    valid = !bytes.empty() && stun::MessageView::parse(bytes, view) == stun::ParseResult::kOk;
  }
  Reply(const Reply&) = delete;

  bool is_success() const {
    return valid && view.is(stun::Method::kBinding, stun::MessageClass::kSuccessResponse);
  }
  uint16_t error_code() const {
    stun::ErrorCode code;
    if (!valid || !view.is(stun::Method::kBinding, stun::MessageClass::kErrorResponse) ||
        stun::ErrorCode::get_from(view, code) != stun::DecodeStatus::kOk) {
      return 0;
    }
    return code.code;
  }
  bool signed_with(stun::MacContext& mac, const std::string& pwd) const {
    return valid && stun::verify_integrity(mac, view, as_bytes(pwd));
  }
};

}  // namespace turnd::sfu::ice::test
