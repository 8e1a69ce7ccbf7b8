// Headless Chromium participants in a turnd conference, driven with
// playwright-core through the browser client's test hooks (window.turnd).
//
//   node conference.mjs --url https://127.0.0.1:8443 --room team --code CODE
//        [--participants 3] [--relay tcp|tls] [--wrong-code] [--screen]
//        [--turn udp|tcp|tls|none] [--chromium EXE,EXE,...] [--expect-pair 1:relay/tcp,2:host/udp]
//
// Each participant is a browser context of its own (its own fake camera and
// microphone). --chromium names the Chromium executable of each participant in
// turn (the last one repeats; default /usr/bin/chromium); participants with
// the same executable share one browser. A wrapper script such as
// `exec ip netns exec NS /usr/bin/chromium "$@"` puts a participant into
// another network namespace (tests/db/test_sfu_firewall.sh). --turn keeps only
// that kind of TURN server (the client's ?turn=) without forcing relay.
// Checks, each printed as "PASS ..." or "FAIL ..." (exit 1 on the first
// failure):
//   - everyone joins and sees the others;
//   - everyone receives the others' audio and video: inbound-rtp
//     packetsReceived and framesDecoded grow (getStats);
//   - with --relay: the selected candidate pair is a relay candidate over
//     that protocol (the browsers are forced to iceTransportPolicy 'relay');
//   - with --expect-pair N:TYPE/PROTO,...: both PeerConnections of participant
//     N (1-based) use a local candidate of that type (host, srflx, prflx,
//     relay) over that protocol (udp or tcp; for relay the protocol between
//     browser and TURN server: udp, tcp or tls);
//   - one leaves and the others see participant-left;
//   - with --rejoin N: the one who left joins again N times (and leaves
//     again); each time the others decode its audio and video and it decodes
//     theirs, and the others' subscriber SDP stops growing: after the second
//     visit it has no more m= sections than after the first (or before it);
//     rejected lines are recycled;
//   - with --wrong-code: a wrong code is refused with error wrong-code;
//   - with --screen: the first participant shares its screen and the others
//     decode it as a second video track from that participant, then it stops.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

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
const executableOf = (i) => executables[Math.min(i, executables.length - 1)];
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

const browsers = new Map();  // executable -> Browser
const launch = (executablePath) => chromium.launch({
  executablePath,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--ignore-certificate-errors', '--auto-select-desktop-capture-source=Entire screen',
    '--autoplay-policy=no-user-gesture-required',
  ],
});
async function browserOf(i) {
  const exe = executableOf(i);
  if (!browsers.has(exe)) browsers.set(exe, await launch(exe));
  return browsers.get(exe);
}
const consoleErrors = [];
let status = 0;
try {
  const pages = [];
  for (let i = 0; i < count; i++) {
    const context = await (await browserOf(i)).newContext({ ignoreHTTPSErrors: true, permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`p${i}: ${m.text()}`); });
    page.on('pageerror', (e) => consoleErrors.push(`p${i}: ${e.message}`));
    const query = relay ? `?relay=1&turn=${relay}` : turnOnly ? `?turn=${turnOnly}` : '';
    await page.goto(`${url}/r/${room}${query}`);
    await waitFor(`page ${i} loads the client`, () => page.evaluate(() => !!window.turnd));
    pages.push(page);
  }

  if (args['wrong-code']) {
    const result = await pages[0].evaluate(
      ({ room }) => window.turnd.join({ room, code: 'definitely-wrong-code', name: 'Mallory' })
        .then(() => 'joined', (e) => String(e && (e.code || e.message || e))), { room });
    if (!String(result).includes('wrong-code')) fail(`a wrong code is refused (got ${result})`);
    pass('a wrong code is refused with wrong-code');
  }

  for (let i = 0; i < count; i++) {
    await pages[i].evaluate(({ room, code, name }) => window.turnd.join({ room, code, name }),
      { room, code, name: `Person ${i + 1}` });
  }
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

  if (args.screen) {
    const sharerId = await pages[0].evaluate(() => window.turnd.state().id);
    await pages[0].evaluate(() => window.turnd.shareScreen());
    const screenFrames = (page) => page.evaluate((id) => window.turnd.stats().then((s) =>
      s.inbound.filter((i) => i.participant === id && i.kind === 'video' && i.source === 'screen')
        .reduce((n, i) => n + (i.framesDecoded || 0), 0)), sharerId);
    for (let i = 1; i < count; i++) {
      await waitFor(`participant ${i} decodes the shared screen`, async () => (await screenFrames(pages[i])) > 3, 45000);
    }
    pass('a shared screen reaches the others as a second video track');
    await pages[0].evaluate(() => window.turnd.stopScreen());
  }

  // The last one leaves; the others see it go.
  const leaverId = await pages[count - 1].evaluate(() => window.turnd.state().id);
  await pages[count - 1].evaluate(() => window.turnd.leave());
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
      await back.evaluate(({ room, code, name }) => window.turnd.join({ room, code, name }),
        { room, code, name: `Person ${count} (${r + 1}. visit)` });
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
      await back.evaluate(() => window.turnd.leave());
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
  for (const b of browsers.values()) await b.close();
}
process.exit(status);
