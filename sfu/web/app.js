// turnd's meeting client: the join form, the signalling of docs/SFU.md, the
// publisher and subscriber PeerConnections, the controls, and the test hooks
// on window.turnd. No build step, nothing loaded from elsewhere.
//
// Phases (state.phase):
//   idle          the join form
//   connecting    the WebSocket is being opened for a join
//   joining       `join` sent, waiting for `joined` or `error`
//   joined        in the room
//   reconnecting  the WebSocket dropped: reopening it, then joining again
//   closed        left, removed, or refused while rejoining (the "left" view)

import { Signaling } from './signaling.js';
import { Publisher } from './publisher.js';
import { Subscriber } from './subscriber.js';
import { Tiles } from './ui.js';
import { hookState, hookStats } from './hooks.js';

const ERROR_TEXT = {
  'no-such-room': 'There is no meeting room with this name. Please check the link.',
  'wrong-code': 'The access code is not right (or the link names no meeting room).',
  'throttled': 'Too many attempts. Please wait a minute, then try again.',
  'busy': 'Many people are joining right now. Please try again in a moment.',
  'too-fast': 'Too many changes at once. Please wait a moment, then try again.',
  'room-full': 'This meeting is full.',
  'room-locked': 'This meeting is locked: nobody else may join right now.',
  'bad-message': 'The server did not understand a request.',
  'not-joined': 'You are not in the meeting (any more).',
  'forbidden': 'Only a moderator may do that.',
  'internal': 'Something went wrong on the server. Please try again.',
  'invalid-input': 'Please check the form.',
};
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const CAMERA = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } };

const $ = (id) => document.getElementById(id);
const query = new URLSearchParams(location.search);
const iceTransportPolicy = query.get('relay') === '1' ? 'relay' : 'all';
// ?turn=udp|tcp|tls keeps only that kind of TURN server (tests; debugging a
// firewall): tcp is turn:...?transport=tcp, tls is turns:; ?turn=none keeps
// none (then only ICE-TCP to the SFU gets through a UDP-blocking firewall).
const turnOnly = query.get('turn');
// ?simulcast=1 offers the camera as three encodings, q, h and f (tests: the
// SFU names streams by RID then; it receives f until layer switching).
const cameraEncodings = query.get('simulcast') === '1'
  ? [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }]
  : null;

function keepTurn(servers) {
  if (!turnOnly) return servers;
  const wanted = (url) => {
    const tls = url.startsWith('turns:');
    const tcp = /[?&]transport=tcp/.test(url);
    if (turnOnly === 'tls') return tls;
    if (turnOnly === 'tcp') return !tls && tcp;
    if (turnOnly === 'udp') return !tls && !tcp;
    return turnOnly !== 'none';
  };
  return servers
    .map((s) => ({ ...s, urls: [].concat(s.urls).filter(wanted) }))
    .filter((s) => s.urls.length > 0);
}

const state = {
  phase: 'idle',
  request: null,             // {room, code, name} of the current join
  id: null,
  resume: null,              // the token a new connection takes this participant over with
  moderator: false,
  room: null,                // {slug, name, locked}
  participants: new Map(),   // id -> {id, name, muted: {audio, video}}
  iceServers: [],
  local: null,               // MediaStream: microphone and camera
  screen: null,              // MediaStream: the shared screen
  micMuted: false,
  cameraOff: false,
  mediaError: null,
  publisher: null,
  subscriber: null,
  lastError: null,           // {code, message}
  busyRetries: 0,            // `busy` answers retried for the current join
  waiters: [],               // turnd.join() promises: {resolve, reject}
};
let signaling = null;
let tiles = null;

// --- Phases and views --------------------------------------------------------------

function setPhase(phase) {
  state.phase = phase;
  const views = { idle: 'join-view', connecting: 'join-view', joining: 'join-view',
                  joined: 'room-view', reconnecting: 'room-view', closed: 'left-view' };
  for (const view of ['join-view', 'room-view', 'left-view']) $(view).hidden = views[phase] !== view;
  $('join-button').disabled = phase === 'connecting' || phase === 'joining';
  renderStatus();
}

function renderStatus() {
  const signal = { idle: 'not connected', connecting: 'connecting…', joining: 'joining…',
                   joined: 'joined', reconnecting: 'reconnecting…', closed: 'closed' };
  $('status-signal').textContent = signal[state.phase];
  $('status-publisher').textContent = state.publisher ? state.publisher.pc.connectionState : '–';
  $('status-subscriber').textContent = state.subscriber ? state.subscriber.pc.connectionState : '–';
}

function showJoinError(text) {
  $('join-error').textContent = text;
  $('join-error').hidden = !text;
}

function notice(text) {
  $('notice').textContent = text || '';
  $('notice').hidden = !text;
}

function errorText(code, message) {
  const base = ERROR_TEXT[code] || 'The server refused the request.';
  return message && !ERROR_TEXT[code] ? `${base} (${message})` : base;
}

function settleWaiters(error) {
  const waiters = state.waiters;
  state.waiters = [];
  for (const w of waiters) {
    if (error) w.reject(error); else w.resolve(snapshot());
  }
}

// --- Joining -------------------------------------------------------------------------

function readForm() {
  return {
    room: $('join-room').value.trim().toLowerCase(),
    code: $('join-code').value,
    name: $('join-name').value.trim(),
    privacy: $('join-privacy').checked,
  };
}

function problemWith(form) {
  if (!SLUG.test(form.room)) return 'The room name may hold only a–z, 0–9 and "-".';
  if (!form.code) return 'Please enter the access code.';
  if (!form.name) return 'Please enter your name.';
  if ([...form.name].length > 64) return 'Your name may be at most 64 characters long.';
  if (!form.privacy) return 'Please confirm that you have read the privacy notice.';
  return null;
}

function submitJoin() {
  if (state.phase === 'connecting' || state.phase === 'joining' || state.phase === 'joined') return;
  const form = readForm();
  const problem = problemWith(form);
  if (problem) {
    showJoinError(problem);
    state.lastError = { code: 'invalid-input', message: problem };
    settleWaiters(Object.assign(new Error(problem), { code: 'invalid-input' }));
    return;
  }
  showJoinError('');
  state.request = { room: form.room, code: form.code, name: form.name };
  state.lastError = null;
  state.busyRetries = 0;
  setPhase('connecting');
  if (signaling) signaling.stop();
  signaling = new Signaling(`wss://${location.host}/ws`, {
    onOpen: sendJoin,
    onMessage: handle,
    onState: signalingState,
  });
  signaling.start();
}

function sendJoin() {
  if (state.phase === 'connecting') setPhase('joining');
  // Back after a lost connection: the same participant, media kept.
  if (state.phase === 'reconnecting' && state.resume) {
    signaling.send({ type: 'resume', token: state.resume });
    return;
  }
  signaling.send({ type: 'join', ...state.request });
}

// The server no longer knows our participant: join afresh.
function startOver() {
  state.resume = null;
  closePeerConnections();
  state.participants.clear();
  tiles.clear();
  renderLocal();
  if (signaling) sendJoin();
}

function signalingState(s) {
  if (s !== 'reconnecting') return;
  if (state.phase === 'joined') {
    // The server keeps our participant for a while: media goes on, and the
    // next connection resumes it (docs/SFU.md, "A cut path").
    setPhase('reconnecting');
    notice('The connection to the server was lost. Reconnecting…');
  } else if (state.phase === 'joining') {
    setPhase('connecting');
  }
}

// --- Messages from the server ------------------------------------------------------

function handle(m) {
  switch (m.type) {
    case 'joined':
      onJoined(m).catch((e) => console.warn('could not start the media', e));
      return;
    case 'error': return onError(m);
    case 'publish-answer':
      if (state.publisher) state.publisher.onAnswer(m.sdp);
      return;
    case 'offer':
      if (state.subscriber) state.subscriber.onOffer(m.sdp, m.tracks);
      return;
    case 'participant-joined':
      if (m.participant && m.participant.id) {
        state.participants.set(m.participant.id, normalise(m.participant));
        renderRemote();
      }
      return;
    case 'participant-left': {
      const p = state.participants.get(m.id);
      state.participants.delete(m.id);
      tiles.remove(m.id);
      if (p && m.reason === 'kicked') notice(`${p.name} was removed from the meeting.`);
      return;
    }
    case 'muted': {
      const p = state.participants.get(m.id);
      if (p && (m.kind === 'audio' || m.kind === 'video')) {
        p.muted[m.kind] = !!m.muted;
        renderRemote();
      }
      return;
    }
    case 'room-locked':
      if (state.room) state.room.locked = !!m.locked;
      renderLock();
      notice(m.locked ? 'The meeting is now locked.' : 'The meeting is open again.');
      return;
    case 'kicked':
      return end('You were removed from the meeting', 'A moderator removed you from this meeting.');
    case 'pong':
      return;
    default:
      console.debug('signalling: unexpected message', m);
  }
}

function normalise(p) {
  const muted = p.muted || {};
  return { id: String(p.id), name: String(p.name || ''),
           muted: { audio: !!muted.audio, video: !!muted.video } };
}

// `resume` answered: the same participant; the peer connections stay (the
// server sends a fresh subscriber offer), the others may have changed.
function onResumed(m) {
  state.resume = typeof m.resume === 'string' ? m.resume : null;
  const present = new Map((m.participants || []).map((p) => [String(p.id), normalise(p)]));
  for (const id of state.participants.keys()) if (!present.has(id)) tiles.remove(id);
  state.participants = present;
  state.lastError = null;
  setPhase('joined');
  notice('Reconnected.');
  renderRemote();
  if (state.publisher) state.publisher.negotiate();  // an offer lost on the way is sent again
}

async function onJoined(m) {
  if (m.resumed && state.publisher && m.id === state.id) return onResumed(m);
  state.resume = typeof m.resume === 'string' ? m.resume : null;
  const rejoin = state.id !== null;
  state.id = m.id;
  state.moderator = !!m.moderator;
  state.room = m.room || { slug: state.request.room, name: state.request.room, locked: false };
  state.iceServers = keepTurn(Array.isArray(m.iceServers) ? m.iceServers : []);
  state.participants = new Map((m.participants || []).map((p) => [String(p.id), normalise(p)]));
  state.lastError = null;
  $('room-title').textContent = state.room.name || state.room.slug;
  document.title = `${state.room.name || state.room.slug} – turnd meeting`;
  if (location.pathname !== `/r/${state.room.slug}`) {
    history.replaceState(null, '', `/r/${encodeURIComponent(state.room.slug)}${location.search}`);
  }
  tiles.setModerator(state.moderator);
  renderLock();
  setPhase('joined');
  notice(rejoin ? 'Reconnected.' : '');
  renderRemote();
  createPeerConnections();
  settleWaiters(null);
  await openMedia();
  if (state.phase !== 'joined') return;
  publishLocalMedia();
}

// `busy`: many people are joining at once from the same network; the
// server asks to try again in a moment, so the page does, quietly.
const BUSY_RETRIES = 40;

function onError(m) {
  if (m.code === 'busy' && (state.phase === 'joining' || state.phase === 'reconnecting') &&
      state.busyRetries < BUSY_RETRIES) {
    state.busyRetries++;
    const connection = signaling;
    setTimeout(() => {
      if (signaling === connection && (state.phase === 'joining' || state.phase === 'reconnecting')) sendJoin();
    }, 1000 + Math.random() * 2000);
    return;
  }
  const text = errorText(m.code, m.message);
  state.lastError = { code: m.code, message: m.message };
  if (state.phase === 'joining' || state.phase === 'connecting') {
    signaling.stop();
    signaling = null;
    setPhase('idle');
    showJoinError(text);
    settleWaiters(Object.assign(new Error(text), { code: m.code }));
  } else if (state.phase === 'reconnecting' && m.code === 'no-session') {
    startOver();  // the server let our participant go: join again with the form's data
  } else if (state.phase === 'reconnecting') {
    end('You could not rejoin the meeting', text);
  } else {
    notice(text);
  }
}

// --- Media -------------------------------------------------------------------------

function describe(e) {
  if (!e) return 'unknown reason';
  if (e.name === 'NotAllowedError') return 'permission was refused';
  if (e.name === 'NotFoundError') return 'no such device';
  if (e.name === 'NotReadableError') return 'the device is in use';
  return e.message || e.name || String(e);
}

// The microphone and camera, once per page: asked when first joining.
async function openMedia() {
  if (state.local || state.mediaError) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    state.mediaError = 'This browser offers no camera or microphone here. You can still see and hear the others.';
  } else {
    try {
      state.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: CAMERA });
    } catch (e) {
      try {
        state.local = await navigator.mediaDevices.getUserMedia({ audio: true });
        state.cameraOff = true;
        state.mediaError = `No camera (${describe(e)}): the others hear you but do not see you.`;
      } catch (e2) {
        state.mediaError = `Camera and microphone are not available (${describe(e)}). `
          + 'You joined without them: you can still see and hear the others.';
      }
    }
  }
  if (state.mediaError) notice(state.mediaError);
  renderControls();
  renderLocal();
}

function localTrack(kind) {
  if (!state.local) return null;
  return state.local.getTracks().find((t) => t.kind === kind && t.readyState === 'live') || null;
}

function createPeerConnections() {
  closePeerConnections();
  const common = { iceServers: state.iceServers, iceTransportPolicy,
                   send: (message) => signaling !== null && signaling.send(message) };
  state.publisher = new Publisher({ ...common, cameraEncodings, onState: renderStatus });
  state.subscriber = new Subscriber({ ...common, onState: renderStatus, onChange: renderRemote });
  renderStatus();
}

function closePeerConnections() {
  if (state.publisher) state.publisher.close();
  if (state.subscriber) state.subscriber.close();
  state.publisher = null;
  state.subscriber = null;
  renderStatus();
}

// Everything we send, on a fresh publisher (after joining or rejoining).
function publishLocalMedia() {
  const pub = state.publisher;
  const audio = localTrack('audio');
  if (audio) {
    audio.enabled = !state.micMuted;
    pub.add(audio, 'mic', state.local);
  }
  const video = localTrack('video');
  if (video && !state.cameraOff) pub.add(video, 'camera', state.local);
  if (state.screen) {
    const track = state.screen.getVideoTracks()[0];
    if (track && track.readyState === 'live') pub.add(track, 'screen', state.screen);
  }
  if (audio && state.micMuted) signaling.send({ type: 'mute', kind: 'audio', muted: true });
  if (state.cameraOff) signaling.send({ type: 'mute', kind: 'video', muted: true });
  renderControls();
}

async function toggleMicrophone() {
  const audio = localTrack('audio');
  if (!audio) {  // none yet: ask again
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const track = stream.getAudioTracks()[0];
      if (!state.local) state.local = new MediaStream();
      state.local.addTrack(track);
      state.micMuted = false;
      if (state.publisher) state.publisher.add(track, 'mic', state.local);
      signaling.send({ type: 'mute', kind: 'audio', muted: false });
    } catch (e) {
      notice(`The microphone is not available (${describe(e)}).`);
    }
  } else {
    state.micMuted = !state.micMuted;
    audio.enabled = !state.micMuted;
    if (signaling) signaling.send({ type: 'mute', kind: 'audio', muted: state.micMuted });
  }
  renderControls();
  renderLocal();
}

// Camera off stops the camera (its light goes out); on asks for it again.
async function toggleCamera() {
  if (!state.cameraOff && localTrack('video')) {
    const video = localTrack('video');
    state.cameraOff = true;
    video.stop();
    state.local.removeTrack(video);
    if (state.publisher) await state.publisher.replace('camera', null);
    if (signaling) signaling.send({ type: 'mute', kind: 'video', muted: true });
  } else {
    let track;
    try {
      track = (await navigator.mediaDevices.getUserMedia({ video: CAMERA })).getVideoTracks()[0];
    } catch (e) {
      notice(`The camera is not available (${describe(e)}).`);
      return;
    }
    if (!state.local) state.local = new MediaStream();
    state.local.addTrack(track);
    state.cameraOff = false;
    if (state.publisher) {
      if (state.publisher.has('camera')) await state.publisher.replace('camera', track);
      else state.publisher.add(track, 'camera', state.local);
    }
    if (signaling) signaling.send({ type: 'mute', kind: 'video', muted: false });
  }
  renderControls();
  renderLocal();
}

async function toggleScreen() {
  if (state.screen) return stopScreen();
  if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
    notice('This browser cannot share its screen.');
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch (e) {
    if (e.name !== 'NotAllowedError') notice(`The screen cannot be shared (${describe(e)}).`);
    return;
  }
  const track = stream.getVideoTracks()[0];
  track.addEventListener('ended', () => { if (state.screen === stream) stopScreen(); });
  state.screen = stream;
  if (state.publisher) state.publisher.add(track, 'screen', stream);
  renderControls();
  renderLocal();
}

function stopScreen() {
  if (!state.screen) return;
  for (const t of state.screen.getTracks()) t.stop();
  state.screen = null;
  if (state.publisher) state.publisher.remove('screen');
  renderControls();
  renderLocal();
}

// --- Leaving -------------------------------------------------------------------------

function stopMedia() {
  for (const stream of [state.local, state.screen]) {
    if (stream) for (const t of stream.getTracks()) t.stop();
  }
  state.local = null;
  state.screen = null;
  state.mediaError = null;
  state.micMuted = false;
  state.cameraOff = false;
}

function end(title, text) {
  if (signaling) signaling.stop();
  signaling = null;
  closePeerConnections();
  stopMedia();
  state.participants.clear();
  state.id = null;
  state.resume = null;
  tiles.clear();
  notice('');
  $('left-title').textContent = title;
  $('left-text').textContent = text;
  setPhase('closed');
  settleWaiters(Object.assign(new Error(text), { code: (state.lastError || {}).code || 'closed' }));
}

function leave() {
  if (signaling) signaling.send({ type: 'leave' });
  end('You left the meeting', 'Thank you for joining.');
}

// --- Rendering -----------------------------------------------------------------------

function renderLocal() {
  if (!tiles || (state.phase !== 'joined' && state.phase !== 'reconnecting')) return;
  tiles.update('self', state.request ? state.request.name : '',
               { audio: state.micMuted || !localTrack('audio'), video: state.cameraOff },
               { camera: localTrack('video'), screen: state.screen ? state.screen.getVideoTracks()[0] : null },
               true);
}

function renderRemote() {
  if (!tiles) return;
  renderLocal();
  const media = state.subscriber ? state.subscriber.media() : new Map();
  for (const p of state.participants.values()) tiles.update(p.id, p.name, p.muted, media.get(p.id) || {});
}

function renderControls() {
  const mic = $('btn-mic');
  const hasMic = !!localTrack('audio');
  mic.textContent = !hasMic ? 'Turn microphone on' : (state.micMuted ? 'Unmute microphone' : 'Mute microphone');
  mic.setAttribute('aria-pressed', String(state.micMuted || !hasMic));
  const cam = $('btn-camera');
  const cameraOn = !state.cameraOff && !!localTrack('video');
  cam.textContent = cameraOn ? 'Turn camera off' : 'Turn camera on';
  cam.setAttribute('aria-pressed', String(!cameraOn));
  const screen = $('btn-screen');
  screen.textContent = state.screen ? 'Stop sharing' : 'Share screen';
  screen.setAttribute('aria-pressed', String(!!state.screen));
}

function renderLock() {
  const button = $('btn-lock');
  button.hidden = !state.moderator;
  const locked = !!(state.room && state.room.locked);
  button.textContent = locked ? 'Unlock room' : 'Lock room';
  button.setAttribute('aria-pressed', String(locked));
}

// --- Test hooks (headless Chromium; hooks.js) ---------------------------------

const snapshot = () => hookState(state, localTrack, iceTransportPolicy);

// Joins like the form does (filling it in, privacy notice confirmed); resolves
// with state() once joined, rejects with an Error whose .code is the error code.
function joinForTests({ room, code, name }) {
  $('join-room').value = room || '';
  $('join-code').value = code || '';
  $('join-name').value = name || '';
  $('join-privacy').checked = true;
  return new Promise((resolve, reject) => {
    state.waiters.push({ resolve, reject });
    if (state.phase === 'closed') setPhase('idle');
    submitJoin();
  });
}

// --- Start -------------------------------------------------------------------------

function start() {
  tiles = new Tiles($('tiles'), $('audio-sink'), {
    onKick: (id) => signaling && signaling.send({ type: 'kick', participant: id }),
  });
  const slug = location.pathname.match(/^\/r\/([^/]+)$/);
  if (slug) {
    $('join-room').value = decodeURIComponent(slug[1]);
    $('join-code').focus();
  } else {
    $('join-room').focus();
  }
  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitJoin();
  });
  $('btn-mic').addEventListener('click', toggleMicrophone);
  $('btn-camera').addEventListener('click', toggleCamera);
  $('btn-screen').addEventListener('click', toggleScreen);
  $('btn-leave').addEventListener('click', leave);
  $('btn-lock').addEventListener('click', () => {
    if (signaling) signaling.send({ type: 'lock', locked: !(state.room && state.room.locked) });
  });
  $('btn-rejoin').addEventListener('click', () => {
    setPhase('idle');
    showJoinError('');
  });
  window.addEventListener('pagehide', () => { if (state.phase === 'joined') leave(); });
  window.turnd = Object.freeze({
    state: snapshot,
    stats: () => hookStats(state),
    join: joinForTests,
    leave: () => leave(),
    toggleMicrophone,
    toggleCamera,
    shareScreen: () => (state.screen ? Promise.resolve() : toggleScreen()),
    stopScreen,
  });
  setPhase('idle');
  renderControls();
}

start();
