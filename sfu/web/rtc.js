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
