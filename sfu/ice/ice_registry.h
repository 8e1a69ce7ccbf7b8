// IceRegistry: demultiplexes packets arriving on the SFU's shared sockets to
// the participants' ICE agents (one registry per worker thread).
//
// - A STUN check is routed by the local part of its USERNAME ("OURUFRAG:
//   THEIRUFRAG"), read before anything is verified; the agent found then
//   verifies MESSAGE-INTEGRITY with its own password. This is how the first
//   packet from an unknown 5-tuple finds its participant, and how a NAT
//   rebinding (or a path moved to another participant) is learned.
// - Every path an agent accepted a valid check on is mapped to it, so DTLS
//   and SRTP packets (which carry no username) find their agent by path.
//
// add()/remove() are control plane and may allocate. Lookups never
// allocate; handle_stun() allocates one hash node the first time a path
// passes a check (once per authenticated 5-tuple, at most
// IceAgent::kMaxPaths per agent), never per packet.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sfu/ice/ice_agent.h"
#include "sfu/ice/path.h"

namespace turnd::sfu::ice {

class IceRegistry {
 public:
  explicit IceRegistry(size_t expected_agents = 64);

  IceRegistry(const IceRegistry&) = delete;
  IceRegistry& operator=(const IceRegistry&) = delete;

  // Indexes `agent` by its local ufrag; it must stay alive until remove().
  // Throws std::invalid_argument when another agent has the same ufrag.
  void add(IceAgent& agent);
  // Forgets the agent and every path mapped to it.
  void remove(IceAgent& agent) noexcept;
  // After agent.restart(): indexes it by its new ufrag instead of
  // `old_ufrag`; its paths stay mapped. Throws like add().
  void rekey(IceAgent& agent, std::string_view old_ufrag);

  IceAgent* find_by_ufrag(std::string_view local_ufrag) const noexcept;
  // The agent that accepted a valid check from `path`, or null.
  IceAgent* find(const Path& path) const noexcept;

  struct Dispatch {
    IceAgent* agent = nullptr;  // null: nobody's, dropped silently
    StunOutcome outcome;
  };
  // A STUN packet from `from`: picks the agent (by USERNAME, or by path for a
  // request without one), lets it answer into `reply`, and updates the path
  // map. Unknown ufrag: dropped without an answer.
  Dispatch handle_stun(Bytes packet, const Path& from, MutableBytes reply) noexcept;

  size_t agent_count() const noexcept { return by_ufrag_.size(); }
  size_t path_count() const noexcept { return by_path_.size(); }

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };

  IceAgent* route(const stun::MessageView& message, const Path& from) const noexcept;
  void map_path(const Path& path, IceAgent* agent) noexcept;
  void unmap_path(const Path& path, const IceAgent* agent) noexcept;

  std::unordered_map<std::string, IceAgent*, StringHash, std::equal_to<>> by_ufrag_;
  std::unordered_map<Path, IceAgent*, PathHash> by_path_;
};

}  // namespace turnd::sfu::ice
