// Small WebRTC helpers shared by the two PeerConnections and the test hooks.

// Resolves when the PeerConnection has gathered its ICE candidates, or after
// `timeoutMs` (the SDP then goes out with what it has: turnd is ICE-lite and
// learns the browser's addresses from its connectivity checks anyway).
export function waitForIceGathering(pc, timeoutMs) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => { if (pc.iceGatheringState === 'complete') done(); };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

// The candidate pair a PeerConnection uses, from its getStats() report, or null.
export function selectedPair(report) {
  let pair = null;
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
  });
  if (!pair) {
    report.forEach((s) => {
      if (!pair && s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pair = s;
    });
  }
  if (!pair) return null;
  const local = report.get(pair.localCandidateId) || {};
  const remote = report.get(pair.remoteCandidateId) || {};
  return {
    state: pair.state,
    localCandidateType: local.candidateType,
    localProtocol: local.protocol,
    relayProtocol: local.relayProtocol,
    localAddress: local.address,
    localPort: local.port,
    remoteCandidateType: remote.candidateType,
    remoteProtocol: remote.protocol,
    remoteAddress: remote.address,
    remotePort: remote.port,
    currentRoundTripTime: pair.currentRoundTripTime,
    availableOutgoingBitrate: pair.availableOutgoingBitrate,
    bytesSent: pair.bytesSent,
    bytesReceived: pair.bytesReceived,
  };
}

// Calls restart() when a PeerConnection's ICE path is lost — 'failed', or
// 'disconnected' for longer than `grace` ms (a proxy or firewall cut the TURN
// connection) — and again every `retry` ms while it stays lost. The caller
// restarts ICE the way offers flow on that PeerConnection (docs/SFU.md).
export function onPathLost(pc, restart, { grace = 2000, retry = 4000 } = {}) {
  let timer = 0;
  const lost = () => {
    timer = 0;
    if (pc.signalingState === 'closed') return;
    if (pc.iceConnectionState !== 'disconnected' && pc.iceConnectionState !== 'failed') return;
    restart();
    timer = setTimeout(lost, retry);
  };
  pc.addEventListener('iceconnectionstatechange', () => {
    const state = pc.iceConnectionState;
    if (state === 'connected' || state === 'completed' || state === 'closed') {
      clearTimeout(timer);
      timer = 0;
    } else if (!timer && state === 'failed') {
      lost();
    } else if (!timer && state === 'disconnected') {
      timer = setTimeout(lost, grace);
    }
  });
}
