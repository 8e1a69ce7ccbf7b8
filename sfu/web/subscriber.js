// The subscriber PeerConnection (docs/SFU.md): turnd offers one send-only
// m-line per remote track, with `tracks` naming whose track each mid carries;
// the browser answers. Offers are applied one after the other.

import { onPathLost, waitForIceGathering } from './rtc.js';

export class Subscriber {
  // send(message); onState(connectionState); onChange(): the set of received
  // tracks may have changed (see media()).
  constructor({ iceServers, iceTransportPolicy, send, onState, onChange }) {
    this.send = send;
    this.onChange = onChange;
    this.pc = new RTCPeerConnection({
      iceServers, iceTransportPolicy, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require',
    });
    this.pc.onconnectionstatechange = () => onState(this.pc.connectionState);
    this.pc.ontrack = () => this.onChange();
    // Offers flow from turnd here: a lost path is asked of turnd, whose next
    // offer restarts ICE.
    onPathLost(this.pc, () => { if (!this.closed) this.send({ type: 'restart-ice' }); });
    this.tracks = {};  // mid -> {participant, kind, source} of the latest offer
    this.chain = Promise.resolve();
    this.closed = false;
  }

  onOffer(sdp, tracks) {
    this.chain = this.chain
      .then(() => this.apply(sdp, tracks))
      .catch((e) => console.warn('subscriber: could not apply the offer', e));
  }

  async apply(sdp, tracks) {
    if (this.closed) return;
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    this.tracks = tracks && typeof tracks === 'object' ? tracks : {};
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await waitForIceGathering(this.pc, 2000);
    if (this.closed) return;
    this.send({ type: 'answer', sdp: this.pc.localDescription.sdp });
    this.onChange();
  }

  // The mid a received track arrives on, or null.
  midOf(trackId) {
    for (const t of this.pc.getTransceivers()) {
      if (t.receiver.track && t.receiver.track.id === trackId) return t.mid;
    }
    return null;
  }

  // What each participant sends now: Map id -> {audio, camera, screen} (tracks).
  media() {
    const out = new Map();
    for (const t of this.pc.getTransceivers()) {
      const info = t.mid !== null ? this.tracks[t.mid] : undefined;
      if (!info || !t.receiver.track) continue;
      if (t.currentDirection === 'inactive' || t.currentDirection === 'stopped') continue;
      const slot = info.kind === 'audio' ? 'audio' : (info.source === 'screen' ? 'screen' : 'camera');
      if (!out.has(info.participant)) out.set(info.participant, {});
      out.get(info.participant)[slot] = t.receiver.track;
    }
    return out;
  }

  close() {
    this.closed = true;
    this.pc.close();
  }
}
