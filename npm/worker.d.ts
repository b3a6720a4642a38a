// `faceproof/worker` is the dedicated worker script the page API starts (www/sdk/worker.js). It exports
// nothing: start it as `new Worker(new URL('faceproof/worker', import.meta.url), { type: 'module' })` only when
// you self-host it, and pass that URL as `FaceProof.create({ workerUrl })`. Its messages are private.
export {};
