// The meeting client (sfu/web) end to end, against a stand-in for the
// conference: sfu_signal_echo --bridge is the real signalling server, and
// this script plays the conference behind it (docs/SFU.md's protocol, one
// room "test", access code "letmein"), its media side being an extra Chromium
// page that answers the publishers and forwards their tracks to everyone
// else's subscriber PeerConnection. Alice, Bob and Carol are headless
// Chromium pages with fake cameras, driven through window.turnd and the page.
//
// Checks: a wrong code, joining, media both ways (frames decoded), tiles and
// names, mute and camera off/on, screen sharing, lock, kick, reconnecting
// after the server drops a connection, leaving; no console errors anywhere.
//
// usage: PLAYWRIGHT_CORE=DIR node fake_conference.mjs ECHO_BINARY CERT KEY WEB_ROOT
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');
const [echoBinary, cert, key, webRoot] = process.argv.slice(2);
const CODE = 'letmein';

let failed = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail !== undefined ? ` (${detail})` : ''}`);
  if (!ok) failed += 1;
  return ok;
}

// --- The signalling server, as a bridge -------------------------------------------

const bridge = spawn(echoBinary, ['--listen', '127.0.0.1:0', '--cert', cert, '--key', key,
  '--web-root', webRoot, '--bridge'], { stdio: ['pipe', 'pipe', 'pipe'] });
const serverLog = [];
const port = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: bridge.stderr });
  lines.on('line', (line) => {
    serverLog.push(line);
    const m = line.match(/^listening .*:(\d+)$/);
    if (m) resolve(Number(m[1]));
  });
  bridge.on('exit', (code) => reject(new Error(`sfu_signal_echo --bridge exited with ${code}`)));
});
const base = `https://127.0.0.1:${port}`;

function send(id, message) {
  if (process.env.DEBUG) console.error(`-> ${id} ${JSON.stringify(message).slice(0, 200)}`);
  bridge.stdin.write(`${JSON.stringify({ send: id, text: JSON.stringify(message) })}\n`);
}
function closeConnection(id) {
  bridge.stdin.write(`${JSON.stringify({ close: id })}\n`);
}

// --- Chromium ------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
         '--auto-select-desktop-capture-source=Entire screen', '--ignore-certificate-errors',
         '--autoplay-policy=no-user-gesture-required',
         // The media page has no camera permission: without this its host
         // candidates would be mDNS names nobody here resolves.
         '--disable-features=WebRtcHideLocalIpsWithMdns'],
  timeout: 30000,
});
const problems = [];

// The conference's media side: receives each publisher's tracks and sends
// them on to the others' subscriber PeerConnections.
const media = await (await browser.newContext()).newPage();
await media.evaluate(() => {
  const gathered = (pc) => new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    setTimeout(resolve, 2000);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
  // Chromium sends nothing for a received audio track handed to another
  // PeerConnection, so each published microphone is stood in for by a tone.
  const audio = new AudioContext();
  const tones = new Map();
  const tone = (key) => {
    if (!tones.has(key)) {
      const oscillator = audio.createOscillator();
      const out = audio.createMediaStreamDestination();
      oscillator.frequency.value = 300 + 100 * tones.size;
      oscillator.connect(out);
      oscillator.start();
      tones.set(key, out.stream.getAudioTracks()[0]);
    }
    return tones.get(key);
  };
  window.sfu = {
    pubs: {},
    subs: {},
    async publish(pid, sdp, tracks) {
      const p = this.pubs[pid] || (this.pubs[pid] = { pc: new RTCPeerConnection(), info: {} });
      p.info = Object.fromEntries(tracks.map((t) => [t.mid, t]));
      await p.pc.setRemoteDescription({ type: 'offer', sdp });
      await p.pc.setLocalDescription(await p.pc.createAnswer());
      await gathered(p.pc);
      return p.pc.localDescription.sdp;
    },
    producers(pid) {
      const p = this.pubs[pid];
      if (!p) return [];
      return p.pc.getTransceivers()
        .filter((t) => p.info[t.mid] && t.receiver.track && t.currentDirection !== 'inactive'
                       && t.currentDirection !== 'stopped')
        .map((t) => ({ key: `${pid}/${t.mid}`, participant: pid,
                       track: t.receiver.track.kind === 'audio' ? tone(`${pid}/${t.mid}`) : t.receiver.track,
                       kind: p.info[t.mid].kind, source: p.info[t.mid].source }));
    },
    async offer(pid, others) {
      const s = this.subs[pid] || (this.subs[pid] = { pc: new RTCPeerConnection(), slots: new Map() });
      const wanted = new Map();
      for (const o of others) for (const pr of this.producers(o)) wanted.set(pr.key, pr);
      for (const [k, t] of s.slots) {
        if (wanted.has(k)) continue;
        await t.sender.replaceTrack(null);
        t.direction = 'inactive';
        s.slots.delete(k);
      }
      for (const [k, pr] of wanted) {
        let t = s.slots.get(k);
        if (!t) {
          t = s.pc.addTransceiver(pr.track, { direction: 'sendonly' });
          s.slots.set(k, t);
        }
        t.info = pr;
      }
      await s.pc.setLocalDescription(await s.pc.createOffer());
      await gathered(s.pc);
      const tracks = {};
      for (const t of s.slots.values()) {
        tracks[t.mid] = { participant: t.info.participant, kind: t.info.kind, source: t.info.source };
      }
      return { sdp: s.pc.localDescription.sdp, tracks, count: s.slots.size };
    },
    async answer(pid, sdp) {
      await this.subs[pid].pc.setRemoteDescription({ type: 'answer', sdp });
    },
    remove(pid) {
      for (const map of [this.pubs, this.subs]) {
        if (map[pid]) map[pid].pc.close();
        delete map[pid];
      }
    },
  };
});

// --- The conference ------------------------------------------------------------------

const room = { locked: false, people: new Map() };  // pid -> participant
const byConnection = new Map();                       // connection id -> pid
let nextPid = 1;

function view(p) {
  return { id: p.id, name: p.name, muted: { ...p.muted } };
}
function others(pid) {
  return [...room.people.keys()].filter((id) => id !== pid);
}
function broadcast(message, except) {
  for (const p of room.people.values()) if (p.id !== except) send(p.conn, message);
}

// One subscriber offer at a time per participant; changes meanwhile make another.
async function renegotiate(pid) {
  const p = room.people.get(pid);
  if (!p) return;
  if (p.offering) {
    p.dirty = true;
    return;
  }
  p.offering = true;
  p.dirty = false;
  const offer = await media.evaluate(([id, o]) => window.sfu.offer(id, o), [pid, others(pid)]);
  if (!room.people.has(pid)) return;
  if (offer.count === 0 && !p.offered) {
    p.offering = false;
    return;
  }
  p.offered = true;
  send(p.conn, { type: 'offer', sdp: offer.sdp, tracks: offer.tracks });
}

async function remove(pid, reason) {
  const p = room.people.get(pid);
  if (!p) return;
  room.people.delete(pid);
  byConnection.delete(p.conn);
  await media.evaluate((id) => window.sfu.remove(id), pid);
  broadcast({ type: 'participant-left', id: pid, reason });
  for (const id of others(pid)) await renegotiate(id);
}

async function onMessage(conn, text) {
  let m;
  try {
    m = JSON.parse(text);
  } catch (e) {
    return send(conn, { type: 'error', code: 'bad-message', message: 'not JSON' });
  }
  const pid = byConnection.get(conn);
  const me = pid && room.people.get(pid);
  if (m.type === 'ping') return send(conn, { type: 'pong' });
  if (m.type === 'join') {
    if (me) return send(conn, { type: 'error', code: 'bad-message', message: 'already joined' });
    if (m.room !== 'test') return send(conn, { type: 'error', code: 'no-such-room', message: m.room });
    if (m.code !== CODE) return send(conn, { type: 'error', code: 'wrong-code', message: 'wrong code' });
    if (room.locked) return send(conn, { type: 'error', code: 'room-locked', message: 'locked' });
    const id = `p${nextPid++}`;
    const p = { id, conn, name: m.name, muted: { audio: false, video: false },
                moderator: room.people.size === 0 };
    const present = [...room.people.values()].map(view);
    room.people.set(id, p);
    byConnection.set(conn, id);
    send(conn, { type: 'joined', id, moderator: p.moderator,
                 room: { slug: 'test', name: 'Test room', locked: room.locked },
                 participants: present, iceServers: [] });
    broadcast({ type: 'participant-joined', participant: view(p) }, id);
    return renegotiate(id);
  }
  if (!me) return send(conn, { type: 'error', code: 'not-joined', message: 'join first' });
  switch (m.type) {
    case 'publish': {
      const sdp = await media.evaluate(([id, s, t]) => window.sfu.publish(id, s, t), [pid, m.sdp, m.tracks]);
      send(conn, { type: 'publish-answer', sdp });
      for (const id of others(pid)) await renegotiate(id);
      return;
    }
    case 'answer':
      await media.evaluate(([id, s]) => window.sfu.answer(id, s), [pid, m.sdp]);
      me.offering = false;
      if (me.dirty) await renegotiate(pid);
      return;
    case 'mute':
      me.muted[m.kind] = !!m.muted;
      return broadcast({ type: 'muted', id: pid, kind: m.kind, muted: !!m.muted }, pid);
    case 'lock':
      if (!me.moderator) return send(conn, { type: 'error', code: 'forbidden', message: 'moderators only' });
      room.locked = !!m.locked;
      return broadcast({ type: 'room-locked', locked: room.locked });
    case 'kick': {
      if (!me.moderator) return send(conn, { type: 'error', code: 'forbidden', message: 'moderators only' });
      const target = room.people.get(m.participant);
      if (!target) return undefined;
      send(target.conn, { type: 'kicked' });
      closeConnection(target.conn);
      return remove(target.id, 'kicked');
    }
    case 'leave':
      closeConnection(conn);
      return remove(pid, 'left');
    default:
      return send(conn, { type: 'error', code: 'bad-message', message: `unknown type ${m.type}` });
  }
}

// Events are handled one after the other, like on turnd's media thread.
let queue = Promise.resolve();
createInterface({ input: bridge.stdout }).on('line', (line) => {
  const e = JSON.parse(line);
  if (process.env.DEBUG) console.error(`<- ${line.slice(0, 200)}`);
  queue = queue.then(async () => {
    if (e.event === 'message') await onMessage(e.id, e.text);
    else if (e.event === 'close' && byConnection.has(e.id)) await remove(byConnection.get(e.id), 'left');
  }).catch((err) => problems.push(`conference: ${err.stack || err}`));
});

// --- The people -----------------------------------------------------------------------

async function person(name) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${name}: console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${name}: HTTP ${r.status()} ${r.url()}`); });
  await page.goto(`${base}/r/test`, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.turnd === 'object');
  return page;
}

const state = (page) => page.evaluate(() => window.turnd.state());
const stats = (page) => page.evaluate(() => window.turnd.stats());
function join(page, name, code = CODE) {
  return page.evaluate(([n, c]) => window.turnd.join({ room: 'test', code: c, name: n })
    .then((s) => ({ ok: true, state: s }), (e) => ({ ok: false, code: e.code, message: e.message })), [name, code]);
}

async function until(what, predicate, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await predicate();
      if (last === true) return check(true, what);
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return check(false, what, typeof last === 'string' ? last : JSON.stringify(last));
}

// Frames from `from` (by participant id) decoded on `page`, summed over its video.
async function framesFrom(page, from, source = 'camera') {
  const s = await stats(page);
  return s.inbound.filter((i) => i.participant === from && i.kind === 'video' && i.source === source)
    .reduce((n, i) => n + i.framesDecoded, 0);
}
async function audioFrom(page, from) {
  const s = await stats(page);
  return s.inbound.filter((i) => i.participant === from && i.kind === 'audio')
    .reduce((n, i) => n + i.packetsReceived, 0);
}

try {
  const alice = await person('Alice');
  const bob = await person('Bob');

  const wrong = await join(alice, 'Alice', 'nope');
  check(!wrong.ok && wrong.code === 'wrong-code', 'a wrong access code is refused', JSON.stringify(wrong));
  const shown = await alice.textContent('#join-error');
  check(await alice.isVisible('#join-error') && /access code is not right/.test(shown),
        'the form says the access code is wrong', shown);

  const a = await join(alice, 'Alice');
  check(a.ok && a.state.joined && a.state.moderator, 'Alice joins as the moderator', JSON.stringify(a));
  const b = await join(bob, 'Bob');
  check(b.ok && b.state.joined && !b.state.moderator, 'Bob joins', JSON.stringify(b));
  const aliceId = a.state.id;
  let bobId = b.state.id;
  check(b.state.participants.some((p) => p.id === aliceId && p.name === 'Alice'), 'Bob sees Alice listed');
  await until('Alice sees Bob listed', async () => (await state(alice)).participants.some((p) => p.id === bobId));

  await until('Alice decodes Bob\'s camera', async () => (await framesFrom(alice, bobId)) > 10);
  await until('Bob decodes Alice\'s camera', async () => (await framesFrom(bob, aliceId)) > 10);
  await until('Alice receives Bob\'s microphone', async () => (await audioFrom(alice, bobId)) > 20);
  await until('Bob receives Alice\'s microphone', async () => (await audioFrom(bob, aliceId)) > 20);
  const sa = await state(alice);
  check(sa.publisher === 'connected' && sa.subscriber === 'connected',
        'Alice\'s publisher and subscriber are connected', JSON.stringify(sa));
  const out = await stats(alice);
  check(out.outbound.some((o) => o.kind === 'video' && o.source === 'camera' && o.framesEncoded > 0)
        && out.outbound.some((o) => o.kind === 'audio' && o.source === 'mic' && o.packetsSent > 0),
        'stats(): Alice sends camera and microphone', JSON.stringify(out.outbound));
  check(out.selectedPair && out.selectedPair.localCandidateType === 'host',
        'stats(): the selected candidate pair', JSON.stringify(out.selectedPair));
  const tile = alice.locator(`figure.tile[data-participant="${bobId}"]`);
  check(await tile.locator('.name').textContent() === 'Bob', 'Alice has a tile named Bob');
  check(await alice.evaluate((id) => {
    const v = document.querySelector(`figure.tile[data-participant="${id}"] video`);
    return !!(v && v.srcObject && v.srcObject.getVideoTracks().length === 1 && v.videoWidth > 0);
  }, bobId), 'Bob\'s video plays in his tile');
  check(await alice.evaluate((id) => {
    const el = document.querySelector(`#audio-sink audio[data-participant="${id}"]`);
    return !!(el && el.srcObject && el.srcObject.getAudioTracks().length === 1);
  }, bobId), 'Bob\'s sound has its <audio> element');
  check(await tile.locator('button.kick').isVisible(), 'the moderator sees a Remove button');
  check(!(await bob.locator(`figure.tile[data-participant="${aliceId}"] button.kick`).isVisible()),
        'others see no Remove button');
  check(await alice.isVisible('#btn-lock') && !(await bob.isVisible('#btn-lock')),
        'only the moderator sees the lock button');

  await bob.click('#btn-mic');
  await until('Bob\'s mute reaches Alice', async () =>
    (await state(alice)).participants.find((p) => p.id === bobId).muted.audio === true);
  check(/microphone off/.test(await tile.locator('.badges').textContent()), 'Bob\'s tile says microphone off');
  check((await state(bob)).media.micMuted && await bob.textContent('#btn-mic') === 'Unmute microphone',
        'Bob\'s button offers to unmute');
  await bob.click('#btn-mic');
  await until('Bob\'s unmute reaches Alice', async () =>
    (await state(alice)).participants.find((p) => p.id === bobId).muted.audio === false);

  await bob.click('#btn-camera');
  await until('Bob\'s camera off reaches Alice', async () =>
    (await state(alice)).participants.find((p) => p.id === bobId).muted.video === true);
  check((await state(bob)).media.video === false, 'Bob\'s camera is stopped');
  check(await tile.evaluate((t) => t.classList.contains('no-video')), 'Bob\'s tile shows his initial');
  await bob.click('#btn-camera');
  await until('Bob\'s camera on reaches Alice', async () =>
    (await state(alice)).participants.find((p) => p.id === bobId).muted.video === false);
  const before = await framesFrom(alice, bobId);
  await until('Alice decodes Bob\'s camera again', async () => (await framesFrom(alice, bobId)) > before + 10);

  await bob.click('#btn-screen');
  await until('Bob shares his screen', async () => (await state(bob)).media.screen === true);
  await until('Alice decodes Bob\'s screen', async () => (await framesFrom(alice, bobId, 'screen')) > 3);
  check(await alice.locator(`figure.tile.screen[data-screen="${bobId}"]`).count() === 1,
        'Alice shows Bob\'s screen in its own tile');
  await bob.click('#btn-screen');
  await until('the screen tile goes when Bob stops sharing', async () =>
    (await alice.locator(`figure.tile.screen[data-screen="${bobId}"]`).count()) === 0);

  await alice.click('#btn-lock');
  await until('Bob learns the room is locked', async () => (await state(bob)).room.locked === true);
  const carol = await person('Carol');
  const c = await join(carol, 'Carol');
  check(!c.ok && c.code === 'room-locked', 'Carol cannot join the locked room', JSON.stringify(c));
  await alice.click('#btn-lock');
  await until('the room is open again', async () => (await state(bob)).room.locked === false);

  // The server drops Bob's connection: he reconnects and joins again.
  const bobConn = room.people.get(bobId).conn;
  closeConnection(bobConn);
  await until('Bob\'s client reconnects and rejoins', async () => {
    const s = await state(bob);
    return s.joined && s.id !== bobId ? true : s.phase;
  }, 30000);
  const oldBob = bobId;
  bobId = (await state(bob)).id;
  await until('Alice sees the old Bob leave and the new one arrive', async () => {
    const ids = (await state(alice)).participants.map((p) => p.id);
    return !ids.includes(oldBob) && ids.includes(bobId);
  });
  await until('Alice decodes the rejoined Bob\'s camera', async () => (await framesFrom(alice, bobId)) > 10);
  await until('the rejoined Bob decodes Alice\'s camera', async () => (await framesFrom(bob, aliceId)) > 10);

  await alice.locator(`figure.tile[data-participant="${bobId}"] button.kick`).click();
  await until('Bob is told he was removed', async () => (await state(bob)).phase === 'closed');
  check(/removed/.test(await bob.textContent('#left-title')), 'Bob sees why', await bob.textContent('#left-title'));
  await until('Bob\'s tile leaves Alice\'s page', async () =>
    (await alice.locator(`figure.tile[data-participant="${bobId}"]`).count()) === 0);

  const c2 = await join(carol, 'Carol');
  check(c2.ok, 'Carol joins the open room', JSON.stringify(c2));
  await until('Alice decodes Carol\'s camera', async () => (await framesFrom(alice, c2.state.id)) > 10);
  await alice.click('#btn-leave');
  await until('Alice has left', async () => (await state(alice)).phase === 'closed');
  await until('Carol sees Alice leave', async () => (await state(carol)).participants.length === 0);

  check(problems.length === 0, 'no console errors or warnings, no failed requests anywhere',
        problems.join(' | '));
} catch (e) {
  check(false, 'the scenario ran to its end', e.stack || e.message);
  if (problems.length) console.log(problems.join('\n'));
  console.log(`server log (last lines):\n${serverLog.slice(-20).join('\n')}`);
} finally {
  await browser.close().catch(() => {});
  bridge.stdin.end();
}
console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
