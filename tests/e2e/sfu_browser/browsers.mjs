// Browsers for the conference tests: each participant is a page in a browser
// context of its own (its own fake camera and microphone).
//
//   chromium  Debian's Chromium, headless, through playwright-core
//             (PLAYWRIGHT_CORE); EXE may name another executable, e.g. a
//             wrapper that runs it in a network namespace.
//   firefox   Debian's Firefox ESR through puppeteer-core (PUPPETEER_CORE)
//             over WebDriver BiDi, with fake devices and loopback ICE
//             candidates. It runs with a window (give it an X display, e.g.
//             xvfb-run): headless Firefox cannot share a screen. FIREFOX_CA,
//             when set, names a PEM CA certificate its profile trusts — Firefox
//             checks the certificate of a turns: server even when the page's
//             was accepted. FIREFOX_PROXY=HOST:PORT sends its HTTP and
//             HTTPS (and so its TURN over TCP/TLS) through that HTTP proxy.
//
// Both page kinds answer goto, evaluate(fn, arg), click, type and on(event)
// the same way for what the tests use.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--ignore-certificate-errors', '--auto-select-desktop-capture-source=Entire screen',
  '--autoplay-policy=no-user-gesture-required',
];

const firefoxPrefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
};

// Firefox's manual proxy settings for an HTTP proxy at "HOST:PORT".
function firefoxProxyPrefs(proxy) {
  if (!proxy) return {};
  const [host, port] = proxy.split(':');
  return {
    'network.proxy.type': 1,
    'network.proxy.http': host,
    'network.proxy.http_port': Number(port),
    'network.proxy.ssl': host,
    'network.proxy.ssl_port': Number(port),
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
  };
}

// A Firefox profile that trusts `caFile` (NSS certutil, libnss3-tools).
function firefoxProfile(caFile) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnd-firefox-'));
  if (caFile) {
    execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'turnd test CA', '-t', 'C,,', '-i', caFile]);
  }
  return dir;
}

export class Browsers {
  constructor() {
    this.open = new Map();  // kind + executable -> { browser, profile }
  }

  // A new page of `kind` ('chromium' or 'firefox'); `executable` optional.
  async page(kind, executable) {
    const key = `${kind} ${executable || ''}`;
    if (!this.open.has(key)) this.open.set(key, await this.launch(kind, executable));
    const { browser } = this.open.get(key);
    if (kind === 'firefox') {
      const context = await browser.createBrowserContext();
      return context.newPage();
    }
    const context = await browser.newContext({ ignoreHTTPSErrors: true, permissions: ['camera', 'microphone'] });
    return context.newPage();
  }

  async launch(kind, executable) {
    if (kind === 'chromium') {
      const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');
      return { browser: await chromium.launch({ executablePath: executable || '/usr/bin/chromium', args: chromiumArgs }) };
    }
    if (kind !== 'firefox') throw new Error(`unknown browser ${kind}`);
    if (!process.env.DISPLAY) throw new Error('Firefox needs an X display (run under xvfb-run)');
    const puppeteer = require(process.env.PUPPETEER_CORE || 'puppeteer-core');
    const profile = firefoxProfile(process.env.FIREFOX_CA);
    const browser = await puppeteer.launch({
      browser: 'firefox', executablePath: executable || '/usr/bin/firefox-esr', headless: false,
      acceptInsecureCerts: true, userDataDir: profile,
      extraPrefsFirefox: { ...firefoxPrefs, ...firefoxProxyPrefs(process.env.FIREFOX_PROXY),
        ...(process.env.FIREFOX_FORCE_RESOLVE ? { 'network.dns.forceResolve': process.env.FIREFOX_FORCE_RESOLVE } : {}) },
    });
    return { browser, profile };
  }

  async close() {
    for (const { browser, profile } of this.open.values()) {
      await browser.close().catch(() => {});
      if (profile) fs.rmSync(profile, { recursive: true, force: true });
    }
    this.open.clear();
  }
}

// Fills a form field the way a person types into it (cleared first).
export async function typeInto(page, selector, text) {
  await page.evaluate((s) => { document.querySelector(s).value = ''; }, selector);
  await page.type(selector, text);
}
