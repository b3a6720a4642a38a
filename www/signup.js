// The carrier's SIM-signup identity check: consent → ID photo → live check → the server's verdict.
// Every face computation runs in the faceproof worker on this device; the page sends the server only the
// challenge it got from it and the signed proof. The state is mirrored in data-* attributes for tests.
import { FaceProof, openCamera } from './sdk/faceproof.js';
import { LANGUAGES, RTL, TEXT, pickLanguage } from './i18n.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let language = pickLanguage(params.get('lang') ? [params.get('lang')] : navigator.languages ?? [navigator.language]);
let faceproofReady = null;   // Promise<FaceProof>, started once consent is given
let challenge = null;        // {challenge, claims} from POST /v1/challenges
let referencePhoto = null;   // File: stays in this page, handed to the worker only
let camera = null;           // MediaStream
let session = null;

const text = () => TEXT[language];

function applyLanguage() {
  document.documentElement.lang = language;
  document.documentElement.dir = RTL.has(language) ? 'rtl' : 'ltr';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = text()[node.dataset.i18n] ?? '';
  document.title = text().title;
  $('language').value = language;
  if (document.body.dataset.instruction) showInstruction(document.body.dataset.instruction, false);
  if (document.body.dataset.verdict) $('verdict').textContent = text()[document.body.dataset.verdict];
}

function setStep(step) {
  document.body.dataset.step = step;
  for (const section of document.querySelectorAll('.step')) section.hidden = section.id !== `step-${step}`;
  const heading = document.querySelector(`#step-${step} h2`);
  heading?.setAttribute('tabindex', '-1');
  heading?.focus();
}

function showError(message) {
  $('error').textContent = message;
  document.body.dataset.error = message ? 'shown' : '';
}

function say(words, { interrupt = true } = {}) {
  if (!('speechSynthesis' in window)) return;
  if (interrupt) speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(words);
  utterance.lang = language;
  speechSynthesis.speak(utterance);
}

/** Localised instruction in the ARIA live region, and spoken (speechSynthesis) when it changes. */
function showInstruction(code, speak = true) {
  const words = text().instructions[code] ?? code;
  document.body.dataset.instruction = code;
  $('instruction').textContent = words;
  if (speak) say(words);
}

async function api(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(json.error?.message ?? `HTTP ${response.status}`), { code: json.error?.code });
  return json;
}

function offerAlternative(reason) {
  showError(reason);
  $('alternative-detail').hidden = false;
  $('alternative').focus();
}

// 1. Consent: separate, explicit; a guardian's for under-14s.
function updateConsent() {
  $('guardian-row').hidden = !$('under14').checked;
  if ($('guardian-row').hidden) $('guardian').checked = false;
  const ok = $('consent').checked && (!$('under14').checked || $('guardian').checked);
  $('consent-continue').disabled = !ok;
}
for (const id of ['consent', 'under14', 'guardian']) $(id).addEventListener('change', updateConsent);

$('consent-continue').addEventListener('click', async () => {
  showError('');
  // The models start loading (in the worker) while the user finds the ID card.
  faceproofReady ??= FaceProof.create({ backend: params.get('backend') ?? 'auto' });
  faceproofReady.catch((error) => offerAlternative(`${text().errors.unsupported} (${error.message})`));
  try {
    challenge = await api('/v1/challenges', {});
  } catch (error) {
    offerAlternative(error.message);
    return;
  }
  document.body.dataset.actions = challenge.claims.actions.map((a) => a.action).join(',');
  setStep('reference');
});

// 2. The ID photo: decoded and embedded on this device only.
$('reference').addEventListener('change', async () => {
  const file = $('reference').files[0];
  $('reference').value = '';
  if (!file) return;
  showError('');
  $('reference-status').textContent = text().instructions.loading;
  document.body.dataset.reference = 'checking';
  try {
    const fp = await faceproofReady;
    referencePhoto = await fp.prepareReference(file);
  } catch (error) {
    // No face, several faces, an unreadable or oversized image: say so and let the user pick another.
    $('reference-status').textContent = '';
    document.body.dataset.reference = 'refused';
    showError(`${text().errors.reference} ${error.message}`);
    return;
  }
  $('reference-status').textContent = '';
  document.body.dataset.reference = 'ok';
  setStep('live');
});

// 3. The live check.
$('start-camera').addEventListener('click', async () => {
  showError('');
  $('start-camera').disabled = true;
  // The rules ask for the purpose to be stated while the check runs: shown above the camera, and spoken.
  say(text().livePurpose);
  showInstruction('loading', false);
  try {
    const fp = await faceproofReady;
    document.body.dataset.backend = fp.backend;
    camera = await openCamera($('video'));
    session = await fp.startSession({ challengeToken: challenge.challenge, reference: referencePhoto });
  } catch (error) {
    $('start-camera').disabled = false;
    const key = { CameraDenied: 'camera_denied', CameraMissing: 'camera_missing', CameraBusy: 'camera_busy', Unsupported: 'unsupported' }[error.name];
    if (key) offerAlternative(text().errors[key]);
    else if (error.name === 'ChallengeError') offerAlternative(`${text().errors.challenge} (${error.message})`);
    else offerAlternative(error.message);
    camera?.getTracks().forEach((t) => t.stop());
    return;
  }
  session.addEventListener('instruction', ({ detail }) => showInstruction(detail.code));
  session.addEventListener('progress', ({ detail }) => { $('progress').value = detail; });
  session.addEventListener('state', ({ detail }) => { document.body.dataset.state = detail.state; });
  session.attachCamera($('video'));
  await session.whenFinished();
  await finish();
});

// 4. The verdict comes from the server, which verifies the signed proof.
async function finish() {
  camera?.getTracks().forEach((t) => t.stop());
  $('video').srcObject = null;
  let verdict;
  try {
    const { result } = await session.result();
    // For support and tests: the engine's stable failure code (never shown as the only explanation).
    document.body.dataset.failure = result.failure?.code ?? '';
    const proof = await session.proof();
    const response = await api('/v1/verifications', { challenge: challenge.challenge, proof });
    verdict = response.verified && response.claims.decision === 'match' ? 'verified' : 'notVerified';
    document.body.dataset.decision = response.claims.decision;
  } catch (error) {
    verdict = 'notVerified';
    document.body.dataset.decision = error.code ?? 'error';
  }
  document.body.dataset.verdict = verdict;
  $('verdict').textContent = text()[verdict];
  $('retry').hidden = verdict === 'verified';
  setStep('result');
}

$('retry').addEventListener('click', () => location.reload());
$('alternative').addEventListener('click', (event) => {
  event.preventDefault();
  $('alternative-detail').hidden = false;
  document.body.dataset.alternative = 'shown';
});

for (const [tag, name] of Object.entries(LANGUAGES)) $('language').append(new Option(name, tag));
$('language').addEventListener('change', () => { language = $('language').value; applyLanguage(); });
applyLanguage();
updateConsent();
setStep('consent');
document.body.dataset.ready = 'yes';
