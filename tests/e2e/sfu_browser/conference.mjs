// Participants in a turnd conference — headless Chromium and Firefox ESR —
// driven through the browser client's real UI (the join form, the buttons);
// what they receive is read through its test hooks (window.turnd.state() and
// .stats(), getStats underneath).
//
//   node conference.mjs --url https://127.0.0.1:8443 --room team --code CODE
//        [--participants 3] [--browsers chromium,firefox,...] [--relay tcp|tls]
//        [--wrong-code] [--screen N,...] [--turn udp|tcp|tls|none]
//        [--chromium EXE,EXE,...] [--expect-pair 1:relay/tcp,2:host/udp] [--simulcast]
//
// --browsers names each participant's browser in turn (the last one repeats;
// default chromium): browsers.mjs says how each is run. --chromium names the
// Chromium executable of each participant in turn (the last one repeats;
// default /usr/bin/chromium); participants with the same executable share
// one browser. A wrapper script such as
// `exec ip netns exec NS /usr/bin/chromium "$@"` puts a participant into
// another network namespace (tests/db/test_sfu_firewall.sh). --turn keeps only
// that kind of TURN server (the client's ?turn=) without forcing relay.
// --simulcast makes every camera offer three encodings (the client's
// ?simulcast=1): no a=ssrc, streams named by RID.
// Checks, each printed as "PASS ..." or "FAIL ..." (exit 1 on the first
// failure):
//   - everyone joins (typing the code and a name, ticking the privacy
//     notice, clicking Join) and sees the others;
//   - everyone receives the others' audio and video: inbound-rtp
//     packetsReceived and framesDecoded grow (getStats), and sends both;
//   - with --relay: the selected candidate pair is a relay candidate over
//     that protocol (the browsers are forced to iceTransportPolicy 'relay');
//   - with --expect-pair N:TYPE/PROTO,...: both PeerConnections of participant
//     N (1-based) use a local candidate of that type (host, srflx, prflx,
//     relay) over that protocol (udp or tcp; for relay the protocol between
//     browser and TURN server: udp, tcp or tls);
//   - one leaves (Leave) and the others see participant-left;
//   - with --rejoin N: the one who left joins again N times (Join again,
//     Join) and leaves again; each time the others decode its audio and video
//     and it decodes theirs, and the others' subscriber SDP stops growing:
//     after the second visit it has no more m= sections than after the first
//     (or before it); rejected lines are recycled;
//   - with --wrong-code: a wrong code is refused with error wrong-code, shown
//     under the form;
//   - with --cut CMD [--outage S --restore CMD]: once media flows, CMD runs
//     (e.g. `ss -K` kills participant 1's TURN connections, or a router rule
//     drops them); with --restore, the path stays broken for S seconds, then
//     that runs. Video from participant 1 must stop at the others, then
//     media must flow again both ways (the client restarts ICE: the
//     publisher from the browser, the subscriber through turnd; a lost
//     WebSocket is resumed) with participant 1 the same participant for
//     everyone; the seconds from the path's return to framesDecoded rising
//     again at each participant are printed.
//   - with --screen N,... (alone: 1): participant N shares its screen (Share
//     screen) and the others decode it as a second video track from N, then
//     N stops it (Stop sharing), each in turn.
import { execSync } from 'node:child_process';

import { Browsers, typeInto } from './browsers.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => {
    if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : true]);
    return pairs;
  }, []));
const url = args.url;
const room = args.room;
const code = args.code;
const count = Number(args.participants || 3);
const relay = args.relay && args.relay !== true ? args.relay : null;
const turnOnly = args.turn && args.turn !== true ? args.turn : null;
const executables = String(args.chromium && args.chromium !== true ? args.chromium : process.env.CHROMIUM || '/usr/bin/chromium').split(',');
const kinds = String(args.browsers && args.browsers !== true ? args.browsers : 'chromium').split(',');
const nth = (list, i) => list[Math.min(i, list.length - 1)];
const kindOf = (i) => nth(kinds, i);
const executableOf = (i) => (kindOf(i) === 'chromium' ? nth(executables, i) : undefined);
const sharers = args.screen === true ? [1] : args.screen ? String(args.screen).split(',').map(Number) : [];
const expectedPairs = (args['expect-pair'] && args['expect-pair'] !== true ? args['expect-pair'].split(',') : [])
  .map((e) => {
    const m = /^(\d+):(host|srflx|prflx|relay)\/(udp|tcp|tls)$/.exec(e);
    if (!m) throw new Error(`--expect-pair ${e}: expected N:TYPE/PROTO`);
    return { index: Number(m[1]) - 1, type: m[2], protocol: m[3] };
  });
const deadline = Date.now() + Number(args.timeout || 90) * 1000;

function pass(what) { console.log(`PASS ${what}`); }
function fail(what) {
  console.log(`FAIL ${what}`);
  throw new Error(what);
}

async function waitFor(what, fn, ms = 30000) {
  const until = Math.min(Date.now() + ms, deadline);
  let last;
  while (Date.now() < until) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${what} (last: ${JSON.stringify(last && last.message ? last.message : last)})`);
}

const browsers = new Browsers();
const pagesOpen = [];  // every page, for the leave at the end
const consoleErrors = [];
let status = 0;

// The join form as a person fills it in: the room is already there (from
// the link), the code and a name are typed, the privacy notice ticked.
async function fillJoinForm(page, { code, name }) {
  const shown = await page.evaluate(() => document.getElementById('join-room').value);
  if (shown !== room) fail(`the link /r/${room} fills in the room (form shows ${JSON.stringify(shown)})`);
  await typeInto(page, '#join-code', code);
  await typeInto(page, '#join-name', name);
  if (!(await page.evaluate(() => document.getElementById('join-privacy').checked))) await page.click('#join-privacy');
  await page.click('#join-button');
}

async function joinThroughForm(page, who, name) {
  await fillJoinForm(page, { code, name });
  await waitFor(`${who} joins through the form`, async () => {
    const s = await page.evaluate(() => window.turnd.state());
    if (s.lastError) throw new Error(`error ${JSON.stringify(s.lastError)}`);
    return s.joined;
  }, 30000);
}

try {
  const pages = [];
  for (let i = 0; i < count; i++) {
    const page = await browsers.page(kindOf(i), executableOf(i));
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`p${i}: ${m.text()}`); });
    page.on('pageerror', (e) => consoleErrors.push(`p${i}: ${e.message}`));
    const query = new URLSearchParams();
    if (relay) query.set('relay', '1');
    if (relay || turnOnly) query.set('turn', relay || turnOnly);
    if (args.simulcast) query.set('simulcast', '1');
    await page.goto(`${url}/r/${room}${query.size ? `?${query}` : ''}`);
    await waitFor(`page ${i} loads the client`, () => page.evaluate(() => !!window.turnd));
    pages.push(page);
    pagesOpen.push(page);
  }
  pass(`pages loaded: ${pages.map((_, i) => kindOf(i)).join(', ')}`);

  if (args['wrong-code']) {
    await fillJoinForm(pages[0], { code: 'definitely-wrong-code', name: 'Mallory' });
    const shown = await waitFor('a wrong code is refused under the form', () => pages[0].evaluate(() => {
      const e = document.getElementById('join-error');
      const s = window.turnd.state();
      return !e.hidden && e.textContent && s.lastError ? { text: e.textContent, code: s.lastError.code } : null;
    }));
    if (shown.code !== 'wrong-code') fail(`a wrong code is refused with wrong-code (got ${shown.code})`);
    pass(`a wrong code is refused with wrong-code: "${shown.text}"`);
  }

  for (let i = 0; i < count; i++) await joinThroughForm(pages[i], `participant ${i}`, `Person ${i + 1}`);
  for (let i = 0; i < count; i++) {
    await waitFor(`participant ${i} sees the ${count - 1} others`, () =>
      pages[i].evaluate((n) => window.turnd.state().participants.length === n, count - 1));
  }
  pass(`${count} participants joined and see each other`);

  // Media from everyone to everyone: two samples, the second larger.
  const sample = (page) => page.evaluate(() => window.turnd.stats());
  const media = async (i) => {
    const s = await sample(pages[i]);
    const audio = s.inbound.filter((x) => x.kind === 'audio' && x.packetsReceived > 0);
    const video = s.inbound.filter((x) => x.kind === 'video' && x.framesDecoded > 0);
    const sends = (kind) => s.outbound.some((x) => x.kind === kind && x.packetsSent > 0);
    if (!sends('audio') || !sends('video')) throw new Error(`sends ${JSON.stringify(s.outbound)}`);
    return audio.length >= count - 1 && video.length >= count - 1 ? s : null;
  };
  const first = [];
  for (let i = 0; i < count; i++) {
    first.push(await waitFor(`participant ${i} decodes audio and video from all others`, () => media(i), 45000));
  }
  await new Promise((r) => setTimeout(r, 2000));
  for (let i = 0; i < count; i++) {
    const later = await sample(pages[i]);
    const frames = (s) => s.inbound.filter((x) => x.kind === 'video').reduce((a, x) => a + (x.framesDecoded || 0), 0);
    const packets = (s) => s.inbound.filter((x) => x.kind === 'audio').reduce((a, x) => a + (x.packetsReceived || 0), 0);
    if (!(frames(later) > frames(first[i]) && packets(later) > packets(first[i]))) {
      fail(`participant ${i}'s received media keeps growing (${JSON.stringify(later.inbound)})`);
    }
  }
  pass('every participant keeps receiving audio and video from every other');

  // Bandwidth feedback: each camera's send rate (bytesSent over 3 s) and the
  // browser's estimate of its uplink (the publisher's availableOutgoingBitrate:
  // Chromium's GCC fed by turnd's transport-wide feedback). --min-estimate-kbps
  // K: every estimate reaches K (the start is 300 kbit/s); --max-estimate
  // N:K,...: participant N's comes down to K or less (its uplink is shaped).
  const estimateOf = async (i) => {
    const pair = (await sample(pages[i])).selectedPairs.publisher;
    return pair && pair.availableOutgoingBitrate ? pair.availableOutgoingBitrate / 1000 : null;
  };
  const minEstimate = Number(args['min-estimate-kbps'] || 0);
  if (minEstimate > 0) {
    const seen = [];
    for (let i = 0; i < count; i++) {
      seen.push(await waitFor(`participant ${i}'s uplink estimate reaches ${minEstimate} kbit/s`, async () => {
        const e = await estimateOf(i);
        return e !== null && e >= minEstimate ? Math.round(e) : null;
      }, 20000));
    }
    pass(`every uplink estimate ramped up past ${minEstimate} kbit/s: ${seen.join(', ')} kbit/s`);
  }
  const maxEstimates = (args['max-estimate'] && args['max-estimate'] !== true ? args['max-estimate'].split(',') : [])
    .map((e) => e.split(':').map(Number));
  for (const [n, max] of maxEstimates) {
    const e = await waitFor(`participant ${n}'s uplink estimate comes down to ${max} kbit/s`, async () => {
      const v = await estimateOf(n - 1);
      if (v !== null && v <= max) return Math.round(v);
      throw new Error(`estimate ${v} kbit/s`);
    }, 25000);
    pass(`participant ${n}'s uplink estimate follows its shaped link: ${e} kbit/s (at most ${max})`);
  }
  {
    const camera = (s) => s.outbound.filter((x) => x.kind === 'video' && x.source !== 'screen')
      .reduce((a, x) => a + x.bytesSent, 0);
    const before = [];
    for (let i = 0; i < count; i++) before.push({ s: await sample(pages[i]), t: Date.now() });
    await new Promise((r) => setTimeout(r, 3000));
    const rates = [];
    for (let i = 0; i < count; i++) {
      const s = await sample(pages[i]);
      const kbps = (camera(s) - camera(before[i].s)) * 8 / (Date.now() - before[i].t);
      const estimate = s.selectedPairs.publisher && s.selectedPairs.publisher.availableOutgoingBitrate;
      rates.push(`${Math.round(kbps)} kbit/s (estimate ${estimate ? Math.round(estimate / 1000) : '?'})`);
      const min = Number(args['min-video-kbps'] || 0);
      if (kbps < min) fail(`participant ${i}'s camera sends ${Math.round(kbps)} kbit/s, at least ${min} expected (estimate ${estimate})`);
    }
    pass(`cameras send ${rates.join(', ')}`);
  }

  if (relay) {
    for (let i = 0; i < count; i++) {
      const s = await sample(pages[i]);
      const pair = s.selectedPair || {};
      if (pair.localCandidateType !== 'relay' || pair.relayProtocol !== relay) {
        fail(`participant ${i} goes through TURN over ${relay} (pair ${JSON.stringify(pair)})`);
      }
    }
    pass(`every participant's media goes through turnd's TURN over ${relay}`);
  }

  for (const e of expectedPairs) {
    if (e.index >= count) fail(`--expect-pair names participant ${e.index + 1} of ${count}`);
    const matches = (pair) => pair && pair.localCandidateType === e.type &&
      (e.type === 'relay' ? pair.relayProtocol === e.protocol : pair.localProtocol === e.protocol);
    const pairs = await waitFor(`participant ${e.index + 1}'s publisher and subscriber use a ${e.type} candidate` +
      ` over ${e.protocol}`, async () => {
      const p = (await sample(pages[e.index])).selectedPairs;
      if (matches(p.publisher) && matches(p.subscriber)) return p;
      throw new Error(`pairs ${JSON.stringify(p)}`);
    }, 15000);
    const show = (p) => `${p.localCandidateType}/${p.relayProtocol || p.localProtocol} ${p.localAddress}:${p.localPort}` +
      ` -> ${p.remoteCandidateType}/${p.remoteProtocol} ${p.remoteAddress}:${p.remotePort}`;
    pass(`participant ${e.index + 1} sends and receives through ${e.type} over ${e.protocol}` +
      ` (publisher ${show(pairs.publisher)}; subscriber ${show(pairs.subscriber)})`);
  }

  if (args.cut && args.cut !== true) {
    const cutId = await pages[0].evaluate(() => window.turnd.state().id);
    // Video frames participant i decoded: from participant 1 (the others), or
    // from everyone (participant 1 itself).
    const framesAt = (i) => pages[i].evaluate((id) => window.turnd.stats().then((s) =>
      s.inbound.filter((x) => x.kind === 'video' && (id === null || x.participant === id))
        .reduce((n, x) => n + (x.framesDecoded || 0), 0)), i === 0 ? null : cutId);
    const stalled = async (i) => {  // no new frame for 1.5 s
      const a = await framesAt(i);
      await new Promise((r) => setTimeout(r, 1500));
      return (await framesAt(i)) === a;
    };
    execSync(args.cut, { stdio: 'inherit' });
    const cutAt = Date.now();
    await waitFor('video from participant 1 stops at participant 2 after the cut',
      () => stalled(1), 20000);
    pass(`the cut (${args.cut}) stopped participant 1's video at the others after ${((Date.now() - cutAt) / 1000).toFixed(1)} s`);
    let backAt = Date.now();
    if (args.restore && args.restore !== true) {
      const outage = Number(args.outage || 20) * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, cutAt + outage - Date.now())));
      execSync(args.restore, { stdio: 'inherit' });
      backAt = Date.now();
    }
    const base = [];
    for (let i = 0; i < count; i++) base.push(await framesAt(i));
    const times = new Array(count).fill(null);
    await waitFor('every participant decodes video again after the path came back', async () => {
      for (let i = 0; i < count; i++) {
        if (times[i] === null && (await framesAt(i)) > base[i] + 3) {
          times[i] = ((Date.now() - backAt) / 1000).toFixed(1);
        }
      }
      if (times.every((t) => t !== null)) return true;
      throw new Error(`back so far: ${JSON.stringify(times)}`);
    }, 60000);
    // The same participant: its id, in everyone's list, nobody more.
    if ((await pages[0].evaluate(() => window.turnd.state().id)) !== cutId) {
      fail('participant 1 is still the same participant after the cut');
    }
    for (let i = 1; i < count; i++) {
      const ids = await pages[i].evaluate(() => window.turnd.state().participants.map((p) => p.id));
      if (ids.length !== count - 1 || !ids.includes(cutId)) {
        fail(`participant ${i + 1} sees participant 1 (${cutId}) as before the cut (sees ${JSON.stringify(ids)})`);
      }
    }
    pass(`media came back without anyone leaving; seconds from the path's return to new frames: ${times.map((t, i) => `participant ${i + 1} ${t}`).join(', ')}`);
  }

  for (const n of sharers) {
    const sharer = pages[n - 1];
    const sharerId = await sharer.evaluate(() => window.turnd.state().id);
    await sharer.click('#btn-screen');
    await waitFor(`participant ${n - 1} shares its screen`, () => sharer.evaluate(() => window.turnd.state().media.screen));
    const screenFrames = (page) => page.evaluate((id) => window.turnd.stats().then((s) =>
      s.inbound.filter((i) => i.participant === id && i.kind === 'video' && i.source === 'screen')
        .reduce((n, i) => n + (i.framesDecoded || 0), 0)), sharerId);
    for (let i = 0; i < count; i++) {
      if (i === n - 1) continue;
      await waitFor(`participant ${i} (${kindOf(i)}) decodes the screen of ${n - 1} (${kindOf(n - 1)})`,
        async () => (await screenFrames(pages[i])) > 3, 45000);
    }
    pass(`the screen shared by participant ${n - 1} (${kindOf(n - 1)}) reaches the others as a second video track`);
    await sharer.click('#btn-screen');
    await waitFor(`participant ${n - 1} stops sharing`, () => sharer.evaluate(() => !window.turnd.state().media.screen));
  }

  // The last one leaves; the others see it go.
  const leaverId = await pages[count - 1].evaluate(() => window.turnd.state().id);
  await pages[count - 1].click('#btn-leave');
  for (let i = 0; i < count - 1; i++) {
    await waitFor(`participant ${i} sees ${leaverId} leave`, () =>
      pages[i].evaluate((id) => !window.turnd.state().participants.some((p) => p.id === id), leaverId));
  }
  pass('a participant leaves and the others see it');

  const rejoins = Number(args.rejoin && args.rejoin !== true ? args.rejoin : 0);
  if (rejoins > 0) {
    const lines = (i) => pages[i].evaluate(() => window.turnd.state().subscriberLines);
    const before = [];
    const afterFirst = [];
    for (let i = 0; i < count - 1; i++) before.push(await lines(i));
    const back = pages[count - 1];
    for (let r = 1; r <= rejoins; r++) {
      await back.click('#btn-rejoin');
      await joinThroughForm(back, `participant ${count - 1} (visit ${r + 1})`, `Person ${count} (${r + 1}. visit)`);
      const id = await back.evaluate(() => window.turnd.state().id);
      for (let i = 0; i < count - 1; i++) {
        await waitFor(`participant ${i} decodes audio and video of the rejoined ${id} (visit ${r + 1})`, async () => {
          const s = await sample(pages[i]);
          const mine = s.inbound.filter((x) => x.participant === id);
          return mine.some((x) => x.kind === 'audio' && x.packetsReceived > 0) &&
            mine.some((x) => x.kind === 'video' && x.framesDecoded > 0);
        }, 45000);
      }
      await waitFor(`the rejoined ${id} decodes everyone (visit ${r + 1})`, () => media(count - 1), 45000);
      if (r === 1) for (let i = 0; i < count - 1; i++) afterFirst.push(await lines(i));
      await back.click('#btn-leave');
      for (let i = 0; i < count - 1; i++) {
        await waitFor(`participant ${i} sees ${id} leave`, () =>
          pages[i].evaluate((x) => !window.turnd.state().participants.some((p) => p.id === x), id));
      }
    }
    const after = [];
    for (let i = 0; i < count - 1; i++) {
      after.push(await lines(i));
      const bound = Math.max(before[i], afterFirst[i]);
      if (after[i] > bound) fail(`participant ${i}'s subscriber SDP grew to ${after[i]} m= sections (at most ${bound})`);
    }
    pass(`the last participant came back ${rejoins} times: audio and video both ways each time; ` +
      `the others' subscriber SDP had ${before.join('/')} m= sections before, ${afterFirst.join('/')} ` +
      `on the first return, ${after.join('/')} at the end`);
  }

  const bad = consoleErrors.filter((e) => /Content Security Policy|Failed to load|Uncaught/.test(e));
  if (bad.length) fail(`no script or CSP errors in the pages: ${bad.join(' | ')}`);
} catch (e) {
  status = 1;
  if (!String(e.message).length) console.log(`FAIL ${e}`);
  if (consoleErrors.length) console.log(`---- browser console errors:\n${consoleErrors.join('\n')}`);
} finally {
  // Everyone still in the room leaves through the UI, as people do: a closed
  // page without `leave` would stay in the room for turnd's resume window.
  for (const page of pagesOpen) {
    await page.evaluate(() => {
      const b = document.getElementById('btn-leave');
      if (window.turnd && window.turnd.state().phase === 'joined' && b && !b.hidden) b.click();
    }).catch(() => {});
  }
  await new Promise((r) => setTimeout(r, 300));
  await browsers.close();
}
process.exit(status);
