// faceproof's page-side API. It owns a dedicated worker where the wasm module and every model run, so the
// page's main thread only moves frames (as transferred ImageBitmaps) and receives small JSON results.

export class FaceProofError extends Error {
  constructor({ name, message }) {
    super(message);
    this.name = name === 'Error' ? 'FaceProofError' : name;
  }
}

export class FaceProof extends EventTarget {
  #worker;
  #pending = new Map();
  #nextId = 1;
  backend = null;
  version = null;
  models = [];

  /** `backend`: 'auto' (WebGPU when an adapter exists, else CPU), 'webgpu' or 'cpu'. */
  static async create({ modelsUrl = new URL('../models/', import.meta.url), backend = 'auto', workerUrl } = {}) {
    const fp = new FaceProof(workerUrl ?? new URL('./worker.js', import.meta.url));
    const info = await fp.#call('create', { backend, modelsUrl: new URL(modelsUrl, location.href).href });
    fp.backend = info.backend;
    fp.version = info.version;
    fp.models = info.manifest;
    fp.loadMs = info.loadMs;
    return fp;
  }

  constructor(workerUrl) {
    super();
    this.#worker = new Worker(workerUrl, { type: 'module', name: 'faceproof' });
    this.#worker.onmessage = ({ data: { id, ok, result, error } }) => {
      const pending = this.#pending.get(id);
      if (!pending) return;
      this.#pending.delete(id);
      ok ? pending.resolve(result) : pending.reject(new FaceProofError(error));
    };
    this.#worker.onerror = (event) => {
      const error = new FaceProofError({ name: 'WorkerError', message: event.message || 'the faceproof worker failed' });
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
      this.dispatchEvent(new CustomEvent('error', { detail: error }));
    };
  }

  #call(type, payload, transfer = []) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, type, payload }, transfer);
    });
  }

  /** Faces in an encoded photo (Blob or File: JPEG, PNG, WebP). Resolves to {width, height, faces, ms}. */
  async detectPhoto(blob) {
    const bytes = await blob.arrayBuffer();
    return this.#call('detectEncoded', { bytes }, [bytes]);
  }

  /** Faces in a frame: an ImageBitmap (transferred, so the caller must not reuse it), a video or a canvas. */
  async detectFrame(source) {
    const bitmap = source instanceof ImageBitmap ? source : await createImageBitmap(source);
    return this.#call('detectBitmap', { bitmap }, [bitmap]);
  }

  close() {
    this.#worker.terminate();
    for (const pending of this.#pending.values()) pending.reject(new FaceProofError({ name: 'Closed', message: 'closed' }));
    this.#pending.clear();
  }
}
