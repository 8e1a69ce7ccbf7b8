// Headless Chromium (Debian's, driven by playwright-core) loads the meeting
// client from sfu_signal_echo and must see no console errors or warnings (a
// CSP violation is one), no failed request, no HTTP error; the join form must
// be filled from /r/<slug>, refuse to join before the privacy notice is
// confirmed, and window.turnd.join() must open the WebSocket and send `join`
// (the echo server then never answers with `joined`).
//
// usage: PLAYWRIGHT_CORE=DIR node chromium_check.mjs https://127.0.0.1:PORT/r/test
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const url = process.argv[2];
const problems = [];
let failed = 0;

function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? ` (${detail})` : ''}`);
  if (!ok) failed += 1;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
         '--ignore-certificate-errors'],
  timeout: 30000,
});
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));

  const response = await page.goto(url, { waitUntil: 'load', timeout: 15000 });
  check(response && response.status() === 200, `GET ${url}`, response && response.status());
  const csp = response ? (await response.allHeaders())['content-security-policy'] || '' : '';
  check(csp.includes("script-src 'self'"), 'the page came with its CSP', csp);
  await page.waitForFunction(() => typeof window.turnd === 'object', null, { timeout: 10000 });
  check(true, 'app.js ran (window.turnd is there)');

  const slug = new URL(url).pathname.replace(/^\/r\//, '');
  check(await page.inputValue('#join-room') === slug, `the room field holds "${slug}"`);
  check(await page.isVisible('#join-form'), 'the join form is shown');
  check(await page.locator('footer a[href="/imprint"]').count() === 1, 'footer links the imprint');
  check(await page.locator('footer a[href="/privacy"]').count() === 1, 'footer links the privacy notice');
  check(await page.locator('#join-form a[href="/privacy"]').count() === 1, 'the checkbox links the privacy notice');

  // Without the privacy box ticked, nothing is sent.
  await page.fill('#join-code', 'secret');
  await page.fill('#join-name', 'Chromium');
  await page.click('#join-button');
  const error = await page.textContent('#join-error');
  check(await page.isVisible('#join-error') && /privacy/i.test(error),
        'joining without confirming the privacy notice is refused', error);
  check((await page.evaluate(() => window.turnd.state().phase)) === 'idle' && sockets.length === 0,
        '... and opens no WebSocket');

  const state = await page.evaluate(() => window.turnd.state());
  check(state.joined === false && state.publisher === null && state.subscriber === null
        && Array.isArray(state.participants), 'window.turnd.state() before joining', JSON.stringify(state));

  // turnd.join(): the same path as the form; the echo server never says `joined`.
  await page.evaluate(() => { window.turnd.join({ room: 'test', code: 'c', name: 'Chromium' }).catch(() => {}); });
  await page.waitForFunction(() => window.turnd.state().phase === 'joining', null, { timeout: 10000 })
    .then(() => check(true, 'turnd.join() opened the WebSocket and sent join'))
    .catch(() => check(false, 'turnd.join() opened the WebSocket and sent join',
                       JSON.stringify(sockets)));
  check(sockets.length === 1 && sockets[0] === new URL('/ws', url).href.replace(/^https/, 'wss'),
        'one WebSocket, to wss://HOST/ws', JSON.stringify(sockets));
  const stats = await page.evaluate(() => window.turnd.stats());
  check(Array.isArray(stats.inbound) && Array.isArray(stats.outbound),
        'window.turnd.stats() answers', JSON.stringify(stats));

  await page.waitForTimeout(500);
  check(problems.length === 0, 'no console errors or warnings, no failed requests',
        problems.join(' | '));
} finally {
  await browser.close();
}
console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
