// Finds faces, bodies and other objects on an RGB image with Human (vladmandic/human, MIT) on tfjs's wasm backend. Runs
// inside the people worker (worker.ts): model loading and inference take a second or two of CPU, which
// must not stall the engine's thread. Only the models shipped inside the npm package are used.
import { createRequire } from 'node:module';
import type { Config, Human as HumanClass } from '@vladmandic/human';
import * as tf from '@tensorflow/tfjs-core';
import type { DetectedObject } from '../segment/types.js';
import { locateHuman, MODEL_SCHEME, registerModelRouter } from './human-models.js';
import { BODY_PARTS, KEYPOINT_SCORE, type FoundBody, type FoundFace, type FoundPeople } from './types.js';

/** Below these, a "face" is usually a round thing with two dark spots (the rocket's nose cone). */
const FACE_BOX_SCORE = 0.6;
const FACE_MESH_SCORE = 0.6;
/** A body needs this overall score and this many confident keypoints. */
const BODY_SCORE = 0.25;
const BODY_KEYPOINTS = 5;
/**
 * CenterNet's objects below this score are mostly guesses: on the example photos the kite (0.66), the
 * splash's crown ("vase", 0.56), the coffee cup (0.45), the ladybird ("bird", 0.39) and the boats (0.34 and
 * up) pass, while a meadow's "bananas" and the seed heads' "oranges" (0.2 and under) do not.
 */
const OBJECT_SCORE = 0.3;
/**
 * A person CenterNet finds counts from this score: on cold-water.jpg the bathers behind the wader score
 * 0.25-0.67, and no example photo without people has a "person" above 0.2.
 */
const PERSON_SCORE = 0.2;

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
  // skipFrames 0: every photo is detected afresh, never answered from the previous one's objects.
  object: {
    enabled: true,
    modelPath: 'centernet.json',
    minConfidence: PERSON_SCORE,
    maxDetected: 20,
    skipFrames: 0,
  },
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
        // The segmenter gets the other things, and the people MoveNet did not find (it finds one: the
        // wader in the foreground of a beach full of them): a click beside one keeps them out of its
        // region, a click on one is answered from their box.
        const objects: DetectedObject[] = result.object
          .filter((o) => o.score >= (o.label === 'person' ? PERSON_SCORE : OBJECT_SCORE))
          .map((o): DetectedObject => ({
            label: o.label,
            score: o.score,
            box: [o.box[0], o.box[1], o.box[2], o.box[3]],
          }))
          .filter((o) => o.label !== 'person' || !bodies.some((body) => isBodyIn(body, o.box)));
        return { width, height, faces, bodies, objects, millis: performance.now() - started };
      } finally {
        human.tf.dispose(input as never);
      }
    },
  };
}

/** Whether most of a body's keypoints lie in a box: the person box CenterNet gave for the same person. */
function isBodyIn(body: FoundBody, [x, y, w, h]: DetectedObject['box']): boolean {
  const inside = body.keypoints.filter((k) => k.x >= x && k.x <= x + w && k.y >= y && k.y <= y + h);
  return inside.length >= body.keypoints.length * 0.75;
}
