// The carrier signup demo (www/signup.html) against the real verifier service (`faceproof serve`), in
// headless Chromium: every language renders (Arabic right-to-left) with screenshots; consent gates the face
// check and a guardian's consent is required for under-14s; the store alternative is always there; a camera
// that is refused offers it; and every request the page makes is captured to show that only the challenge
// request and the signed proof leave the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, SHARED, launch, leakReason, startVerifier } from './harness.mjs';

let verifier;
let base;
let work;

before(async () => {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'faceproof-signup-'));
  // Challenges the blink clip can answer: blink and look straight, in random order.
  verifier = await startVerifier({ challengeActions: { actions: ['blink', 'look_straight'], min: 2, max: 2 } });
  base = verifier.base;
});

after(async () => {
  await verifier?.stop();
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
    assert.equal(await page.isChecked('#guardian'), false, 'the hidden guardian box does not stay ticked');
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

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Waits for `predicate` in the page; on timeout, the error says where the page was. */
async function waitFor(page, predicate, what, timeout = 120_000) {
  try {
    await page.waitForFunction(predicate, null, { timeout });
  } catch (error) {
    const state = await page.evaluate(() => ({ ...document.body.dataset, error: document.getElementById('error').textContent,
      instruction: document.getElementById('instruction').textContent }));
    throw new Error(`${what}: ${error.message.split('\n')[0]}; page: ${JSON.stringify(state)}`);
  }
}

/** Only GETs for code and models, the challenge request and the proof; no body or query leaks image data. */
function assertOnlyChallengeAndProofLeft(requests) {
  const posts = [];
  for (const request of requests) {
    const url = new URL(request.url);
    for (const [, value] of url.searchParams) assert.equal(leakReason(value), null, `query of ${request.url}`);
    if (request.method === 'GET') {
      assert.equal(request.body?.length ?? 0, 0, `GET ${url.pathname} with a body`);
      assert.match(url.pathname, /^\/(signup\.(html|js|css)|i18n\.js|sdk\/[a-z-]+\.m?js|pkg\/faceproof(_cpu)?(_bg\.wasm|\.js)|pkg\/weights-manifest\.json|models\/[a-z0-9_]+\.bpk|favicon\.ico)$/,
        `unexpected GET ${url.pathname}`);
      continue;
    }
    assert.equal(request.method, 'POST', `${request.method} ${url.pathname}`);
    assert.ok(['/v1/challenges', '/v1/verifications'].includes(url.pathname), `POST ${url.pathname}`);
    const reason = leakReason(request.body, { maxBytes: 16 * 1024 + 4096 });
    assert.equal(reason, null, `POST ${url.pathname}: ${reason}`);
    posts.push({ path: url.pathname, body: request.body ? JSON.parse(request.body.toString()) : null });
  }
  return posts;
}

async function toReferenceStep(page) {
  await page.goto(`${base}/signup.html?backend=cpu`);
  await page.waitForFunction(() => document.body.dataset.ready === 'yes');
  await page.check('#consent');
  await page.click('#consent-continue');
  await page.waitForFunction(() => document.body.dataset.step === 'reference');
}

test('bad ID photos and a stale challenge get a clear message; the page stays usable', { timeout: 600_000 }, async () => {
  const garbage = path.join(work, 'garbage.jpg');
  await fs.writeFile(garbage, 'this is not a photo');
  const huge = path.join(work, 'huge.png');
  // A valid PNG header that claims 20000 x 20000 pixels: refused before any decoding.
  // A valid 20000 x 20000 1-bit PNG (50 KB on disk, 400 MP): refused by its header, never decoded.
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const side = 20000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth 1, grey, deflate, no filter, no interlace
  const rows = zlib.deflateSync(Buffer.alloc(side * (1 + side / 8)));
  await fs.writeFile(huge, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]));
  const browser = await launch({ webgpu: false, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  try {
    const page = await (await browser.newContext({ locale: 'en' })).newPage();
    const logs = [];
    page.on('pageerror', (error) => logs.push(error.message));
    await toReferenceStep(page);
    const messages = {};
    for (const [name, file] of [
      ['garbage', garbage], ['huge', huge],
      ['no face', path.join(SHARED, 'data/faces-dlib-examples/dogs.jpg')],
      ['two faces', path.join(SHARED, 'data/faces-deepface/images/couple.jpg')],
    ]) {
      await page.evaluate(() => { document.body.dataset.reference = ''; });
      await page.setInputFiles('#reference', file);
      await page.waitForFunction(() => ['refused', 'ok'].includes(document.body.dataset.reference), null, { timeout: 120_000 });
      assert.equal(await page.evaluate(() => document.body.dataset.reference), 'refused', name);
      assert.equal(await page.evaluate(() => document.body.dataset.step), 'reference', name);
      messages[name] = await page.textContent('#error');
    }
    console.log('reference refusals:', JSON.stringify(messages));
    assert.match(messages['no face'], /no face/);
    assert.match(messages['two faces'], /2 faces/);
    assert.match(messages.huge, /20000/);
    // A good photo still works afterwards: the page and the worker are intact.
    await page.setInputFiles('#reference', path.join(SHARED, 'data/faces-deepface/images/img1.jpg'));
    await page.waitForFunction(() => document.body.dataset.step === 'live', null, { timeout: 120_000 });
    assert.deepEqual(logs, []);

    // A stale challenge (expired; the page cannot check the server's signature, the engine checks expiry).
    const context = await browser.newContext({ locale: 'en' });
    const stale = await context.newPage();
    await stale.route('**/v1/challenges', async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      const [h, p, sig] = json.challenge.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url'));
      claims.iat -= 3600;
      claims.exp -= 3600;
      json.challenge = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
      await route.fulfill({ response, json });
    });
    await toReferenceStep(stale);
    await stale.setInputFiles('#reference', path.join(SHARED, 'data/faces-deepface/images/img1.jpg'));
    await stale.waitForFunction(() => document.body.dataset.step === 'live', null, { timeout: 120_000 });
    await stale.click('#start-camera');
    await stale.waitForFunction(() => document.body.dataset.error === 'shown', null, { timeout: 60_000 });
    assert.match(await stale.textContent('#error'), /expired/);
    assert.equal(await stale.isVisible('#alternative-detail'), true);
  } finally {
    await browser.close();
  }
});

// The clip is a phone's portrait front camera (480 x 854), played at a third of its speed: this CPU-only machine judges ~4 frames per second in wasm,
// a phone many more; slowed down, the 0.13-0.23 s blinks span several judged frames (still under the
// engine's 0.8 s blink limit).
test('the whole flow on the CPU backend: consent, ID photo, live check from the camera, verified proof', { timeout: 900_000 }, async () => {
  const y4m = path.join(work, 'd13-slow.y4m');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-t', '5', '-i', path.join(SHARED, 'data/video/liveportrait-driving/d13.mp4'),
    '-vf', 'setpts=3*PTS,scale=480:-2,fps=30', '-pix_fmt', 'yuv420p', y4m]);
  const photo = path.join(work, 'id-photo.jpg');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', '4.6', '-i', path.join(SHARED, 'data/video/liveportrait-driving/d13.mp4'),
    '-frames:v', '1', '-q:v', '2', photo]);
  const browser = await launch({ webgpu: false, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${y4m}`] });
  try {
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 720, height: 1000 } })).newPage();
    const requests = [];
    page.on('request', (request) => requests.push({ method: request.method(), url: request.url(), body: request.postDataBuffer() }));
    await toReferenceStep(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'signup-zh-CN-reference.png'), fullPage: true });
    await page.setInputFiles('#reference', photo);
    await waitFor(page, () => document.body.dataset.step === 'live', 'ID photo accepted');
    await page.click('#start-camera');
    await waitFor(page, () => document.body.dataset.state === 'action', 'first action asked');
    await page.screenshot({ path: path.join(ARTIFACTS, 'signup-zh-CN-live.png'), fullPage: true });
    assert.ok((await page.textContent('#instruction')).length > 0);
    await waitFor(page, () => document.body.dataset.step === 'result', 'result shown', 600_000);
    await page.screenshot({ path: path.join(ARTIFACTS, 'signup-zh-CN-result.png'), fullPage: true });
    const outcome = await page.evaluate(() => ({ ...document.body.dataset, verdict: document.getElementById('verdict').textContent }));
    console.log('signup flow:', JSON.stringify(outcome));
    assert.equal(outcome.decision, 'match', JSON.stringify(outcome));
    assert.equal(outcome.verdict, '身份已确认，您可以继续办理。');
    // The result step in the other languages: the switcher re-renders the verdict in place.
    for (const [locale, verdict] of [['en', 'Identity confirmed.'], ['ar', 'تم تأكيد الهوية.'], ['fr', 'Identité confirmée.']]) {
      await page.selectOption('#language', locale);
      assert.ok((await page.textContent('#verdict')).startsWith(verdict), locale);
      await page.screenshot({ path: path.join(ARTIFACTS, `signup-${locale}-result.png`), fullPage: true });
    }
    const posts = assertOnlyChallengeAndProofLeft(requests);
    assert.deepEqual(posts.map((p) => p.path), ['/v1/challenges', '/v1/verifications']);
    assert.deepEqual(Object.keys(posts[1].body).sort(), ['challenge', 'proof']);
  } finally {
    await browser.close();
  }
});

test('every step renders in every language (screenshots: consent, ID photo, live check)', { timeout: 600_000 }, async () => {
  // Chromium's own fake camera pattern: no face, so the live step asks the user to position it.
  const browser = await launch({ webgpu: false, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  try {
    for (const locale of Object.keys(EXPECTED)) {
      const page = await (await browser.newContext({ locale, viewport: { width: 720, height: 1000 } })).newPage();
      await toReferenceStep(page);
      assert.equal(await page.getAttribute('html', 'dir'), EXPECTED[locale].dir);
      await page.screenshot({ path: path.join(ARTIFACTS, `signup-${locale}-reference.png`), fullPage: true });
      await page.setInputFiles('#reference', path.join(SHARED, 'data/faces-deepface/images/img1.jpg'));
      await waitFor(page, () => document.body.dataset.step === 'live', `${locale}: ID photo accepted`);
      await page.click('#start-camera');
      await waitFor(page, () => document.body.dataset.instruction === 'position_face', `${locale}: live instruction`);
      const instruction = await page.textContent('#instruction');
      assert.ok(instruction.length > 3 && instruction !== 'position_face', `${locale}: instruction ${instruction}`);
      assert.ok((await page.textContent('[data-i18n=livePurpose]')).length > 10, `${locale}: purpose shown during the check`);
      await page.screenshot({ path: path.join(ARTIFACTS, `signup-${locale}-live.png`), fullPage: true });
      await page.context().close();
    }
  } finally {
    await browser.close();
  }
});
