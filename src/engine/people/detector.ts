// Finds the people on a photo once, off the engine's thread (issue 12, point 1). The first request
// starts a worker that loads Human's models; each photo is detected once and its result kept for as long
// as the photo object lives (a WeakMap on the decoded photo, so closing a document frees it). A photo
// without people costs one pass: the face detector and MoveNet run once and find nothing.
import type { Worker } from 'node:worker_threads';
import { StirError } from '../../shared/index.js';
import { resizeRgba } from '../image/encode.js';
import { fitLongSide, type RgbaImage } from '../image/types.js';
import { spawnWorker } from '../workers/spawn.js';
import type { FoundPeople } from './types.js';
import type { PeopleReply, PeopleRequest } from './worker-protocol.js';

/**
 * Detection runs on the photo scaled to this long side: Human's detectors work at 256 px or less and crop
 * faces from the input for the mesh, so 1280 px keeps small faces sharp while a 12 MP photo never
 * becomes a 12 MP tensor.
 */
export const DETECTION_LONG_SIDE = 1280;

export interface PeopleDetectorOptions {
  /** The bundled worker (the Electron build); the source worker otherwise. */
  workerUrl?: URL;
}

export interface PeopleDetector {
  /** The people on this photo, in its own pixels; detected on the first call, then cached. */
  find(photo: RgbaImage): Promise<FoundPeople>;
  /** The cached result when detection has finished, else null (never starts one). */
  peek(photo: RgbaImage): FoundPeople | null;
  dispose(): Promise<void>;
}

function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
}

export function createPeopleDetector(options: PeopleDetectorOptions = {}): PeopleDetector {
  const workerUrl = options.workerUrl ?? defaultWorkerUrl();
  const cache = new WeakMap<RgbaImage, Promise<FoundPeople>>();
  const done = new WeakMap<RgbaImage, FoundPeople>();
  const waiting = new Map<number, { resolve: (found: FoundPeople) => void; reject: (e: Error) => void }>();
  let worker: Worker | null = null;
  let nextId = 1;

  const failAll = (message: string) => {
    for (const pending of waiting.values()) pending.reject(new Error(message));
    waiting.clear();
    worker = null;
  };

  const start = (): Worker => {
    const started = spawnWorker(workerUrl);
    started.unref();
    started.on('message', (reply: PeopleReply) => {
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      if (reply.ok) pending.resolve(reply.found);
      else pending.reject(new Error(reply.message));
      if (waiting.size === 0) started.unref();
    });
    started.on('error', (error) => failAll(error.message));
    started.on('exit', (code) => failAll(`the people worker stopped (exit code ${code})`));
    return started;
  };

  const detect = async (photo: RgbaImage): Promise<FoundPeople> => {
    const size = fitLongSide(photo.width, photo.height, DETECTION_LONG_SIDE);
    const scaled = size.width === photo.width ? photo : await resizeRgba(photo, size.width, size.height);
    const rgb = new Uint8Array(scaled.width * scaled.height * 3);
    for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
      rgb[j] = scaled.data[i]!;
      rgb[j + 1] = scaled.data[i + 1]!;
      rgb[j + 2] = scaled.data[i + 2]!;
    }
    worker ??= start();
    worker.ref();
    const id = nextId++;
    const request: PeopleRequest = { id, rgb, width: scaled.width, height: scaled.height };
    const running = worker;
    const found = await new Promise<FoundPeople>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      running.postMessage(request, [rgb.buffer]);
    }).catch((caught: unknown) => {
      throw new StirError('INTERNAL', 'Stir could not look for people on this photo.', {
        hint: 'Faces and bodies will not be recognised; everything else works.',
        cause: caught,
      });
    });
    return scaleFound(found, photo.width / scaled.width, photo.height / scaled.height, photo);
  };

  return {
    find(photo) {
      let found = cache.get(photo);
      if (!found) {
        found = detect(photo);
        cache.set(photo, found);
        // A failed detection is not cached: the next request tries again.
        found.then(
          (result) => done.set(photo, result),
          () => cache.delete(photo),
        );
      }
      return found;
    },
    peek(photo) {
      return done.get(photo) ?? null;
    },
    async dispose() {
      const running = worker;
      worker = null;
      if (running) await running.terminate();
    },
  };
}

/** From detection pixels back to the photo's own. */
function scaleFound(found: FoundPeople, sx: number, sy: number, photo: RgbaImage): FoundPeople {
  if (sx === 1 && sy === 1) return found;
  const box = (b: [number, number, number, number]): [number, number, number, number] => [
    b[0] * sx,
    b[1] * sy,
    b[2] * sx,
    b[3] * sy,
  ];
  return {
    width: photo.width,
    height: photo.height,
    millis: found.millis,
    faces: found.faces.map((f) => ({
      ...f,
      box: box(f.box),
      mesh: f.mesh.map((v, i) => v * (i % 2 === 0 ? sx : sy)),
    })),
    bodies: found.bodies.map((b) => ({
      ...b,
      box: box(b.box),
      keypoints: b.keypoints.map((k) => ({ ...k, x: k.x * sx, y: k.y * sy })),
    })),
    objects: found.objects.map((o) => ({ ...o, box: box(o.box) })),
  };
}
