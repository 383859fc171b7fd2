// Human's models, loaded from the installed npm package and never from the network (issue 12): tfjs in
// Node cannot fetch file:// URLs, so a load router answers our own `stir-human://NAME.json` URLs by
// reading the model's JSON and weight shards from the package's models folder.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import type * as Tf from '@tensorflow/tfjs-core';

export const MODEL_SCHEME = 'stir-human://';

export interface HumanPackage {
  /** Human's build for Node with the wasm backend (its package `exports` do not name it, so by path). */
  entry: string;
  /** The models that ship inside the package (blazeface, facemesh, iris, movenet-lightning, ...). */
  modelsDir: string;
  /** Where tfjs-backend-wasm keeps its .wasm binaries (a folder path ending in a separator). */
  wasmDir: string;
}

export function locateHuman(): HumanPackage {
  const require = createRequire(import.meta.url);
  // The package's "node" export is its tfjs-node build; the wasm build sits beside it in dist/.
  const dist = dirname(require.resolve('@vladmandic/human'));
  const wasm = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  return {
    entry: join(dist, 'human.node-wasm.js'),
    modelsDir: resolve(dist, '..', 'models'),
    wasmDir: wasm.endsWith(sep) ? wasm : wasm + sep,
  };
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: Tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Tf.io.ModelArtifacts['userDefinedMetadata'];
}

/** Reads one model (JSON + shards) from a folder into tfjs's in-memory artefacts. */
export async function readModel(modelsDir: string, name: string): Promise<Tf.io.ModelArtifacts> {
  const path = resolve(modelsDir, name);
  if (!path.startsWith(modelsDir + sep)) throw new Error(`model name outside the models folder: ${name}`);
  const json = JSON.parse(await readFile(path, 'utf8')) as ModelJson;
  const shards: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const shard of group.paths) shards.push(await readFile(join(dirname(path), shard)));
  }
  const weights = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology as Tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature as Tf.io.ModelArtifacts['signature'],
    userDefinedMetadata: json.userDefinedMetadata,
  };
}

/** Makes tfjs answer `stir-human://NAME.json` from the models folder (once per tfjs instance). */
export function registerModelRouter(tf: typeof Tf, modelsDir: string): void {
  // tfjs's router type says IOHandler, but a router answers null for URLs that are not its own.
  const router = (url: string | string[]): Tf.io.IOHandler | null => {
    const text = Array.isArray(url) ? url[0] : url;
    if (typeof text !== 'string' || !text.startsWith(MODEL_SCHEME)) return null;
    const name = text.slice(MODEL_SCHEME.length);
    return { load: () => readModel(modelsDir, name) };
  };
  tf.io.registerLoadRouter(router as Parameters<typeof tf.io.registerLoadRouter>[0]);
}
