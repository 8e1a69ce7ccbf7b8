#include "sfu/ice/ice_registry.h"

#include <new>
#include <stdexcept>

#include "turnd/stun/attr/username.h"

namespace turnd::sfu::ice {

IceRegistry::IceRegistry(size_t expected_agents) {
  by_ufrag_.reserve(expected_agents);
  by_path_.reserve(expected_agents * 2);  // usually one or two paths per participant
}

void IceRegistry::add(IceAgent& agent) {
  auto [it, inserted] = by_ufrag_.try_emplace(agent.local_credentials().ufrag, &agent);
  if (!inserted && it->second != &agent) {
    throw std::invalid_argument("ICE registry: duplicate local ufrag");
  }
  agent.for_each_path([&](const Path& path) { map_path(path, &agent); });
}

void IceRegistry::remove(IceAgent& agent) noexcept {
  auto it = by_ufrag_.find(std::string_view(agent.local_credentials().ufrag));
  if (it != by_ufrag_.end() && it->second == &agent) by_ufrag_.erase(it);
  // Paths moved to another agent since stay with it.
  agent.for_each_path([&](const Path& path) { unmap_path(path, &agent); });
}

void IceRegistry::rekey(IceAgent& agent, std::string_view old_ufrag) {
  auto it = by_ufrag_.find(old_ufrag);
  if (it != by_ufrag_.end() && it->second == &agent) by_ufrag_.erase(it);
  auto [next, inserted] = by_ufrag_.try_emplace(agent.local_credentials().ufrag, &agent);
  if (!inserted && next->second != &agent) {
    throw std::invalid_argument("ICE registry: duplicate local ufrag");
  }
}

IceAgent* IceRegistry::find_by_ufrag(std::string_view local_ufrag) const noexcept {
  auto it = by_ufrag_.find(local_ufrag);
  return it == by_ufrag_.end() ? nullptr : it->second;
}

IceAgent* IceRegistry::find(const Path& path) const noexcept {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : it->second;
}

IceRegistry::Dispatch IceRegistry::handle_stun(Bytes packet, const Path& from,
                                               MutableBytes reply) noexcept {
  Dispatch out;
  stun::MessageView message;
  if (stun::MessageView::parse(packet, message) != stun::ParseResult::kOk) return out;
  out.agent = route(message, from);
  if (out.agent == nullptr) return out;
  out.outcome = out.agent->handle_stun(message, from, reply);
  if (out.outcome.forgotten) unmap_path(*out.outcome.forgotten, out.agent);
  if (out.outcome.result == CheckResult::kAccepted) map_path(from, out.agent);
  return out;
}

IceAgent* IceRegistry::route(const stun::MessageView& message, const Path& from) const noexcept {
  stun::Username username;
  switch (stun::Username::get_from(message, username)) {
    case stun::DecodeStatus::kOk: {
      // Only the part before ':' is ours; it is matched, not trusted: the
      // agent verifies MESSAGE-INTEGRITY with its password.
      std::string_view text = username.text();
      return find_by_ufrag(text.substr(0, text.find(':')));
    }
    case stun::DecodeStatus::kAbsent:
      return find(from);  // a known peer's request without USERNAME: its agent answers 400
    case stun::DecodeStatus::kMalformed:
      break;
  }
  return nullptr;
}

void IceRegistry::map_path(const Path& path, IceAgent* agent) noexcept {
  auto it = by_path_.find(path);
  if (it != by_path_.end()) {
    it->second = agent;  // an existing entry, or the path moved to another agent
    return;
  }
  try {
    by_path_.emplace(path, agent);
  } catch (const std::bad_alloc&) {
    // Out of memory: the path stays unmapped, STUN still reaches the agent by
    // ufrag and the next valid check tries again.
  }
}

void IceRegistry::unmap_path(const Path& path, const IceAgent* agent) noexcept {
  auto it = by_path_.find(path);
  if (it != by_path_.end() && it->second == agent) by_path_.erase(it);
}

}  // namespace turnd::sfu::ice
