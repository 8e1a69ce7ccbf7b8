// What window.turnd.state() and .stats() report (app.js installs them), for
// the headless-Chromium tests: plain objects, safe to pass out of the page.

import { selectedPair } from './rtc.js';

export function hookState(state, localTrack, iceTransportPolicy) {
  const media = state.subscriber ? state.subscriber.media() : new Map();
  return {
    phase: state.phase,
    signal: state.phase,
    joined: state.phase === 'joined',
    id: state.id,
    moderator: state.moderator,
    room: state.room ? { ...state.room } : null,
    participants: [...state.participants.values()].map((p) => {
      const m = media.get(p.id) || {};
      return { id: p.id, name: p.name, muted: { ...p.muted },
               receiving: { audio: !!m.audio, camera: !!m.camera, screen: !!m.screen } };
    }),
    publisher: state.publisher ? state.publisher.pc.connectionState : null,
    subscriber: state.subscriber ? state.subscriber.pc.connectionState : null,
    // m= sections of the subscriber's SDP (recycled lines keep this bounded).
    subscriberLines: state.subscriber && state.subscriber.pc.remoteDescription
      ? (state.subscriber.pc.remoteDescription.sdp.match(/^m=/gm) || []).length : 0,
    media: { audio: !!localTrack('audio'), video: !!localTrack('video'), screen: !!state.screen,
             micMuted: state.micMuted, cameraOff: state.cameraOff, error: state.mediaError },
    iceTransportPolicy,
    lastError: state.lastError,
  };
}

// inbound: what the subscriber receives (whose, which source); outbound: what
// the publisher sends; selectedPair: the publisher's candidate pair, else the
// subscriber's (both in selectedPairs).
export async function hookStats(state) {
  const out = { inbound: [], outbound: [], selectedPair: null,
                selectedPairs: { publisher: null, subscriber: null } };
  const sub = state.subscriber;
  if (sub) {
    const report = await sub.pc.getStats();
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      const mid = s.mid !== undefined ? s.mid : sub.midOf(s.trackIdentifier);
      const info = (mid !== null && sub.tracks[mid]) || {};
      const p = state.participants.get(info.participant);
      out.inbound.push({
        kind: s.kind, mid, participant: info.participant || null, name: p ? p.name : null,
        source: info.source || null, packetsReceived: s.packetsReceived || 0,
        packetsLost: s.packetsLost || 0, bytesReceived: s.bytesReceived || 0,
        framesDecoded: s.framesDecoded || 0, frameWidth: s.frameWidth, frameHeight: s.frameHeight,
      });
    });
    out.selectedPairs.subscriber = selectedPair(report);
  }
  const pub = state.publisher;
  if (pub) {
    const report = await pub.pc.getStats();
    const sources = new Map(pub.tracks().map((t) => [t.mid, t.source]));
    report.forEach((s) => {
      if (s.type !== 'outbound-rtp') return;
      out.outbound.push({
        kind: s.kind, mid: s.mid, source: sources.get(s.mid) || null,
        packetsSent: s.packetsSent || 0, bytesSent: s.bytesSent || 0,
        framesEncoded: s.framesEncoded || 0, frameWidth: s.frameWidth, frameHeight: s.frameHeight,
        targetBitrate: s.targetBitrate || 0,
      });
    });
    out.selectedPairs.publisher = selectedPair(report);
  }
  // A copy, not a second reference: WebDriver BiDi (Firefox) serialises a
  // repeated object as a reference, which puppeteer turns into nothing.
  const chosen = out.selectedPairs.publisher || out.selectedPairs.subscriber;
  out.selectedPair = chosen ? { ...chosen } : null;
  return out;
}
