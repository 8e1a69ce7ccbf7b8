// The signalling WebSocket (wss://HOST/ws, docs/SFU.md): JSON messages in and
// out, and reconnection with exponential backoff when the connection drops.
//
// States: 'idle' (never started), 'connecting' (first attempt), 'open',
// 'reconnecting' (waiting for or making another attempt), 'closed' (stop()).

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const SILENCE_MS = 45000;  // nothing heard for this long: the connection is dead
const PING_MS = 20000;     // our `ping`, answered with `pong`, keeps messages flowing

export class Signaling {
  // onOpen(): each time a connection opens (send `join` from here).
  // onMessage(object): each message that parses as a JSON object.
  // onState(state): each state change.
  constructor(url, { onOpen, onMessage, onState }) {
    this.url = url;
    this.onOpen = onOpen;
    this.onMessage = onMessage;
    this.onState = onState;
    this.state = 'idle';
    this.ws = null;
    this.attempt = 0;
    this.retryTimer = 0;
    this.pingTimer = 0;
    this.lastHeard = 0;
  }

  start() {
    if (this.state !== 'idle' && this.state !== 'closed') return;
    this.attempt = 0;
    this.setState('connecting');
    this.open();
  }

  // No more reconnecting; closes the socket.
  stop() {
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(1000, 'bye'); } catch (e) { /* already closed */ }
    }
    this.setState('closed');
  }

  // True when the message went out; false while disconnected.
  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.onState(state);
  }

  open() {
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.lastHeard = Date.now();
      this.setState('open');
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.keepAlive(), PING_MS / 2);
      this.onOpen();
    };
    ws.onmessage = (event) => {
      this.lastHeard = Date.now();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        console.debug('signalling: a message that is not JSON', event.data);
        return;
      }
      if (message && typeof message === 'object') this.onMessage(message);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      this.scheduleRetry();
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  keepAlive() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > SILENCE_MS) {
      this.ws.close();  // onclose reconnects
      return;
    }
    if (Date.now() - this.lastHeard > PING_MS) this.send({ type: 'ping' });
  }

  scheduleRetry() {
    this.setState('reconnecting');
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    const delay = base / 2 + Math.random() * base / 2;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }
}
