// Finds faces and bodies on an RGB image with Human (vladmandic/human, MIT) on tfjs's wasm backend. Runs
// inside the people worker (worker.ts): model loading and inference take a second or two of CPU, which
// must not stall the engine's thread. Only the models shipped inside the npm package are used.
import { createRequire } from 'node:module';
import type { Config, Human as HumanClass } from '@vladmandic/human';
import * as tf from '@tensorflow/tfjs-core';
import { locateHuman, MODEL_SCHEME, registerModelRouter } from './human-models.js';
import { BODY_PARTS, KEYPOINT_SCORE, type FoundBody, type FoundFace, type FoundPeople } from './types.js';

/** Below these, a "face" is usually a round thing with two dark spots (the rocket's nose cone). */
const FACE_BOX_SCORE = 0.6;
const FACE_MESH_SCORE = 0.6;
/** A body needs this overall score and this many confident keypoints. */
const BODY_SCORE = 0.25;
const BODY_KEYPOINTS = 5;

const CONFIG: Partial<Config> = {
  backend: 'wasm',
  modelBasePath: MODEL_SCHEME,
  cacheModels: false,
  debug: false,
  warmup: 'none',
  async: true,
  filter: { enabled: false },
  gesture: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  segmentation: { enabled: false },
  face: {
    enabled: true,
    detector: { rotation: false, maxDetected: 8, minConfidence: 0.3, skipFrames: 0, return: false },
    mesh: { enabled: true },
    iris: { enabled: true },
    attention: { enabled: false },
    description: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
  },
  body: { enabled: true, modelPath: 'movenet-lightning.json', maxDetected: 1, minConfidence: 0.2 },
} as Partial<Config>;

export interface PeopleFinder {
  find(rgb: Uint8Array, width: number, height: number): Promise<FoundPeople>;
}

export async function createPeopleFinder(): Promise<PeopleFinder> {
  const where = locateHuman();
  const module = createRequire(import.meta.url)(where.entry) as { Human: typeof HumanClass };
  registerModelRouter(tf, where.modelsDir);
  const human = new module.Human({ ...CONFIG, wasmPath: where.wasmDir } as Partial<Config>);
  await human.load();
  if (human.tf.getBackend() !== 'wasm') {
    throw new Error(`Human runs on "${String(human.tf.getBackend())}", not the wasm backend`);
  }
  return {
    async find(rgb, width, height) {
      const started = performance.now();
      const input = human.tf.tensor(rgb, [1, height, width, 3], 'int32');
      try {
        const result = await human.detect(input as never);
        const faces: FoundFace[] = result.face
          .filter((f) => (f.boxScore ?? f.score) >= FACE_BOX_SCORE && (f.faceScore ?? 0) >= FACE_MESH_SCORE)
          .filter((f) => f.mesh.length >= 478)
          .map((f) => ({
            box: [f.box[0], f.box[1], f.box[2], f.box[3]],
            score: f.score,
            mesh: f.mesh.flatMap((p) => [p[0], p[1]]),
          }));
        const bodies: FoundBody[] = result.body
          .map((b) => ({
            box: [b.box[0], b.box[1], b.box[2], b.box[3]] as FoundBody['box'],
            score: b.score,
            keypoints: b.keypoints
              .filter((k) => k.score >= KEYPOINT_SCORE && (BODY_PARTS as readonly string[]).includes(k.part))
              .map((k) => ({
                part: k.part as FoundBody['keypoints'][number]['part'],
                x: k.position[0],
                y: k.position[1],
                score: k.score,
              })),
          }))
          .filter((b) => b.score >= BODY_SCORE && b.keypoints.length >= BODY_KEYPOINTS);
        return { width, height, faces, bodies, millis: performance.now() - started };
      } finally {
        human.tf.dispose(input as never);
      }
    },
  };
}
