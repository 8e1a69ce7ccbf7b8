// The publisher PeerConnection (docs/SFU.md, "Two PeerConnections per
// participant"): the browser offers its microphone, camera and screen as
// send-only transceivers and turnd answers. Every change of what is sent is a
// new offer (`publish`), one at a time: the next one waits for the
// `publish-answer` to the previous.

import { onPathLost, waitForIceGathering } from './rtc.js';

const ANSWER_TIMEOUT_MS = 15000;

export class Publisher {
  // send(message): to the signalling server; onState(connectionState);
  // cameraEncodings: the camera's sendEncodings (simulcast), or null.
  constructor({ iceServers, iceTransportPolicy, send, onState, cameraEncodings }) {
    this.send = send;
    this.cameraEncodings = cameraEncodings || null;
    this.pc = new RTCPeerConnection({
      iceServers, iceTransportPolicy, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require',
    });
    this.pc.onconnectionstatechange = () => onState(this.pc.connectionState);
    // Offers flow from the browser here: a lost path is an ICE restart in
    // the next offer.
    onPathLost(this.pc, () => {
      if (this.closed) return;
      this.pc.restartIce();
      this.negotiate();
    });
    this.sources = new Map();  // RTCRtpTransceiver -> 'mic' | 'camera' | 'screen'
    this.kinds = new Map();    // RTCRtpTransceiver -> 'audio' | 'video'
    this.busy = false;         // an offer is out
    this.again = false;        // something changed meanwhile: offer again after the answer
    this.answered = null;      // {resolve, reject} of the offer that is out
    this.closed = false;
  }

  // Starts sending `track` as `source`; renegotiates.
  add(track, source, stream) {
    const init = { direction: 'sendonly', streams: stream ? [stream] : [] };
    if (source === 'camera' && this.cameraEncodings) init.sendEncodings = this.cameraEncodings;
    const transceiver = this.pc.addTransceiver(track, init);
    this.sources.set(transceiver, source);
    this.kinds.set(transceiver, track.kind);
    this.negotiate();
    return transceiver;
  }

  // Stops sending `source` for good (its m-line is rejected); renegotiates.
  remove(source) {
    for (const [transceiver, s] of this.sources) {
      if (s !== source) continue;
      if (transceiver.sender.track) transceiver.sender.track.stop();
      transceiver.stop();
      this.sources.delete(transceiver);
      this.kinds.delete(transceiver);
      this.negotiate();
    }
  }

  has(source) {
    return [...this.sources.values()].includes(source);
  }

  // Swaps the track of `source` (null: send nothing) without renegotiating.
  async replace(source, track) {
    for (const [transceiver, s] of this.sources) {
      if (s === source) await transceiver.sender.replaceTrack(track);
    }
  }

  negotiate() {
    if (this.closed) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.run().catch((e) => console.warn('publisher: negotiation failed', e))
      .finally(() => { this.busy = false; });
  }

  async run() {
    do {
      this.again = false;
      const offer = await this.pc.createOffer();
      await this.pc.setLocalDescription(offer);
      await waitForIceGathering(this.pc, 2000);
      if (this.closed) return;
      let timer = 0;
      const answer = new Promise((resolve, reject) => {
        this.answered = { resolve, reject };
        timer = setTimeout(() => reject(new Error('no publish-answer')), ANSWER_TIMEOUT_MS);
      });
      if (!this.send({ type: 'publish', sdp: this.pc.localDescription.sdp, tracks: this.tracks() })) {
        this.answered = null;
        await this.rollback();
        return;  // disconnected: the next join publishes afresh
      }
      try {
        await answer;
      } catch (e) {
        console.warn('publisher:', e.message);
        await this.rollback();
        return;
      } finally {
        clearTimeout(timer);
        this.answered = null;
      }
    } while (this.again && !this.closed);
  }

  tracks() {
    const tracks = [];
    for (const [transceiver, source] of this.sources) {
      if (transceiver.mid === null || transceiver.direction === 'stopped') continue;
      tracks.push({ mid: transceiver.mid, kind: this.kinds.get(transceiver), source });
    }
    return tracks;
  }

  async onAnswer(sdp) {
    if (!this.answered || this.pc.signalingState !== 'have-local-offer') return;
    const pending = this.answered;
    try {
      await this.pc.setRemoteDescription({ type: 'answer', sdp });
      pending.resolve();
    } catch (e) {
      pending.reject(e);
    }
  }

  async rollback() {
    if (this.pc.signalingState === 'have-local-offer') {
      try { await this.pc.setLocalDescription({ type: 'rollback' }); } catch (e) { /* closed */ }
    }
  }

  close() {
    this.closed = true;
    if (this.answered) this.answered.reject(new Error('closed'));
    this.pc.close();
  }
}
