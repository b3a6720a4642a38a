// The carrier signup demo (www/signup.html) against the real verifier service (`faceproof serve`), in
// headless Chromium: every language renders (Arabic right-to-left) with screenshots; consent gates the face
// check and a guardian's consent is required for under-14s; the store alternative is always there; a camera
// that is refused offers it; and every request the page makes is captured to show that only the challenge
// request and the signed proof leave the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ARTIFACTS, ROOT, SHARED, TARGET, launch } from './harness.mjs';

let service;
let base;
let work;

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

before(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'faceproof-signup-'));
  const port = await freePort();
  base = `http://localhost:${port}`;
  const binary = process.env.FACEPROOF_BIN ?? path.join(TARGET, 'debug/faceproof');
  service = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, '--www', path.join(ROOT, 'www'),
    '--store', `sqlite:${path.join(work, 'replay.db')}`, '--key', path.join(work, 'key.pem'), '--audience', base]);
  let log = '';
  service.stdout.on('data', (d) => { log += d; });
  service.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 200 && !log.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(log, /listening on/, `faceproof serve did not start:\n${log}`);
});

after(async () => {
  service?.kill('SIGTERM');
  await fs.rm(work, { recursive: true, force: true });
});

/** Records every request the page makes (through CDP-backed Playwright events), with its body. */
function recordRequests(page) {
  const requests = [];
  page.on('request', (request) => requests.push({ method: request.method(), url: request.url(), body: request.postDataBuffer() }));
  return requests;
}

const EXPECTED = {
  en: { title: 'Open your SIM card: identity check', dir: 'ltr' },
  'zh-CN': { title: '开通电话卡：身份核验', dir: 'ltr' },
  ar: { title: 'تفعيل شريحة SIM: التحقق من الهوية', dir: 'rtl' },
  fr: { title: 'Ouvrir votre carte SIM : vérification d\'identité', dir: 'ltr' },
};

test('every language renders from navigator.language, Arabic right-to-left (screenshots)', { timeout: 120_000 }, async () => {
  const browser = await launch({ webgpu: false });
  try {
    for (const [locale, want] of Object.entries(EXPECTED)) {
      const context = await browser.newContext({ locale, viewport: { width: 720, height: 1000 } });
      const page = await context.newPage();
      await page.goto(`${base}/signup.html`);
      await page.waitForFunction(() => document.body.dataset.ready === 'yes');
      assert.equal(await page.textContent('h1'), want.title, locale);
      assert.equal(await page.getAttribute('html', 'dir'), want.dir, locale);
      assert.equal(await page.getAttribute('html', 'lang'), locale);
      // The consent step states purpose, processing, place, retention and the alternative.
      for (const selector of ['.purpose', '[data-i18n=consentWhat]', '[data-i18n=consentWhere]', '[data-i18n=consentHowLong]', '#alternative']) {
        assert.ok((await page.textContent(selector)).trim().length > 10, `${locale}: ${selector} is empty`);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, `signup-${locale}.png`), fullPage: true });
      await context.close();
    }
  } finally {
    await browser.close();
  }
});

test('the language switcher changes the page in place', { timeout: 60_000 }, async () => {
  const browser = await launch({ webgpu: false });
  try {
    const page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await page.goto(`${base}/signup.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'yes');
    assert.equal(await page.textContent('h1'), EXPECTED.en.title);
    await page.selectOption('#language', 'ar');
    assert.equal(await page.textContent('h1'), EXPECTED.ar.title);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('#instruction', 'aria-live'), 'assertive');
  } finally {
    await browser.close();
  }
});

test('consent gates the check, under-14s need a guardian, the alternative is always offered', { timeout: 60_000 }, async () => {
  const browser = await launch({ webgpu: false });
  try {
    const page = await (await browser.newContext({ locale: 'en' })).newPage();
    const requests = recordRequests(page);
    await page.goto(`${base}/signup.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'yes');
    assert.equal(await page.isDisabled('#consent-continue'), true, 'no consent yet');
    assert.equal(await page.isVisible('#guardian'), false, 'the guardian box appears only for under-14s');
    await page.check('#under14');
    assert.equal(await page.isVisible('#guardian'), true);
    await page.check('#consent');
    assert.equal(await page.isDisabled('#consent-continue'), true, 'an under-14 needs the guardian box');
    await page.check('#guardian');
    assert.equal(await page.isDisabled('#consent-continue'), false);
    await page.uncheck('#under14');
    await page.uncheck('#guardian');
    assert.equal(await page.isDisabled('#consent-continue'), false);
    // Nothing was sent before consent (the models are not even fetched).
    assert.deepEqual(requests.filter((r) => r.method !== 'GET'), []);
    assert.equal(requests.some((r) => r.url.endsWith('.bpk') || r.url.endsWith('.wasm')), false);
    await page.click('#alternative');
    assert.equal(await page.isVisible('#alternative-detail'), true);
  } finally {
    await browser.close();
  }
});

test('a refused camera offers the store alternative', { timeout: 300_000 }, async () => {
  const browser = await launch({ webgpu: false, args: ['--use-fake-device-for-media-stream'] });
  try {
    const page = await (await browser.newContext({ locale: 'fr' })).newPage();
    await page.goto(`${base}/signup.html?backend=cpu`);
    await page.waitForFunction(() => document.body.dataset.ready === 'yes');
    await page.check('#consent');
    await page.click('#consent-continue');
    await page.waitForFunction(() => document.body.dataset.step === 'reference');
    await page.setInputFiles('#reference', path.join(SHARED, 'data/faces-deepface/images/img1.jpg'));
    await page.waitForFunction(() => document.body.dataset.step === 'live');
    await page.click('#start-camera');
    await page.waitForFunction(() => document.body.dataset.error === 'shown', null, { timeout: 240_000 });
    assert.match(await page.textContent('#error'), /caméra/);
    assert.equal(await page.isVisible('#alternative-detail'), true);
  } finally {
    await browser.close();
  }
});
