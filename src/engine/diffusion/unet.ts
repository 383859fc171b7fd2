// The video UNet as the pipeline sees it: a batch of items (one per region and guidance half), each with
// its own conditioning channels, text and scalar conditions, sharing the current noisy latent. The input
// buffers are built once per job in the session's own dtype; each step only the four noisy-latent
// channels of each item are written (MODEL-PACKS.md: inputs are copied each run, so keep per-step
// JavaScript work small). A graph exported with a fixed batch size runs the items in chunks of that size.
import type { UnetComponent } from '../models/manifest.js';
import { float32ToFloat16 } from '../models/float16.js';
import type { Feed, OnnxSession } from '../models/sessions.js';
import { CONDITION_CHANNELS } from './conditioning.js';
import type { LatentShape } from './types.js';

export interface UnetItem {
  /** [5, F, h, w]: mask channel and image condition (conditioning.ts). */
  conditions: Float32Array;
  /** One text embedding [77 x hidden]. */
  text: Float32Array;
  /** The paper's motion strength (optical-flow magnitude), when the graph takes it. */
  strength: number;
  fps: number;
}

export interface UnetChunk {
  /** Indices into the job's items; a padded chunk repeats its last item. */
  readonly items: readonly number[];
  /** How many of `items` are real (the rest is padding for a fixed batch size). */
  readonly real: number;
  readonly sample: Float32Array<ArrayBuffer> | Uint16Array<ArrayBuffer>;
  readonly text: Float32Array;
  readonly scalars: Record<string, Feed>;
  /** The timestep for each item (one value when the graph takes a scalar), filled each step. */
  readonly timestep: number[];
}

/** Supplies ControlNet residuals for a chunk at a step, or null when the UNet takes none. */
export type ResidualSource = (
  chunk: UnetChunk,
  latents: Float32Array,
  timestep: number,
  signal?: AbortSignal,
) => Promise<Record<string, Feed> | null>;

export class VideoUnet {
  readonly chunks: UnetChunk[];
  readonly #session: OnnxSession;
  readonly #shape: LatentShape;
  readonly #half: boolean;
  readonly #timestepRank: number;
  readonly #textDims: readonly [number, number];
  readonly #predictions: Float32Array[] = [];

  /** `textDims`: one embedding's [length, hidden] (77, 768 for SD 1.5). */
  constructor(
    session: OnnxSession,
    config: UnetComponent,
    shape: LatentShape,
    textDims: readonly [number, number],
    items: readonly UnetItem[],
  ) {
    this.#session = session;
    this.#shape = shape;
    this.#textDims = textDims;
    this.#half = session.input('sample').type === 'float16';
    this.#timestepRank = session.input('timestep').shape.length;
    const limit = batchLimit(session);
    this.chunks = [];
    for (let start = 0; start < items.length; start += limit) {
      const indices = items.map((_, i) => i).slice(start, start + limit);
      const real = indices.length;
      const size = Number.isFinite(limit) ? limit : real;
      while (indices.length < size) indices.push(indices[indices.length - 1]!);
      this.chunks.push(this.#buildChunk(indices, real, items, config));
    }
  }

  /**
   * The UNet's predictions, one [4, F, h, w] per item, for the shared noisy latent at `timestep`. The
   * returned array is reused by the next call, as are the input buffers.
   */
  async predict(
    latents: Float32Array,
    timestep: number,
    residuals: ResidualSource | null,
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    const { frames, height, width } = this.#shape;
    const itemSize = 9 * frames * height * width;
    const size = 4 * frames * height * width;
    const predictions = this.#predictions;
    predictions.length = 0;
    for (const chunk of this.chunks) {
      const n = chunk.items.length;
      // Channels 0-3 of every item: the noisy latent, written once and copied within the buffer.
      if (chunk.sample instanceof Uint16Array) float32ToFloat16(latents, chunk.sample.subarray(0, size));
      else chunk.sample.set(latents);
      for (let j = 1; j < n; j++) chunk.sample.copyWithin(j * itemSize, 0, size);
      chunk.timestep.fill(timestep);
      const feeds: Record<string, Feed> = {
        sample: { data: chunk.sample, dims: [n, 9, frames, height, width] },
        timestep: { data: chunk.timestep, dims: this.#timestepRank === 0 ? [] : [n] },
        encoder_hidden_states: {
          data: chunk.text,
          dims: [chunk.text.length / (this.#textDims[0] * this.#textDims[1]), ...this.#textDims],
        },
        ...chunk.scalars,
      };
      const extra = residuals ? await residuals(chunk, latents, timestep, signal) : null;
      if (extra) Object.assign(feeds, extra);
      const out = await this.#session.run(feeds, signal);
      const data = out.out_sample!.data;
      for (let j = 0; j < chunk.real; j++) predictions.push(data.subarray(j * size, (j + 1) * size));
    }
    return predictions;
  }

  #buildChunk(indices: number[], real: number, items: readonly UnetItem[], config: UnetComponent): UnetChunk {
    const { frames, height, width } = this.#shape;
    const plane = frames * height * width;
    const itemSize = 9 * plane;
    const n = indices.length;
    const sample = this.#half ? new Uint16Array(n * itemSize) : new Float32Array(n * itemSize);
    const embedding = items[0]!.text.length;
    const perFrame = config.text === 'per-frame';
    const text = new Float32Array(n * embedding * (perFrame ? frames : 1));
    indices.forEach((index, j) => {
      const item = items[index]!;
      const conditions = this.#half ? float32ToFloat16(item.conditions) : item.conditions;
      sample.set(conditions, j * itemSize + (9 - CONDITION_CHANNELS) * plane);
      if (perFrame) for (let f = 0; f < frames; f++) text.set(item.text, (j * frames + f) * embedding);
      else text.set(item.text, j * embedding);
    });
    const scalars: Record<string, Feed> = {};
    const scalar = (name: string, value: (item: UnetItem) => number) => {
      if (!this.#session.hasInput(name)) return;
      const values = indices.map((i) => value(items[i]!));
      scalars[name] =
        this.#session.input(name).shape.length === 0
          ? { data: [values[0]!], dims: [] }
          : { data: values, dims: [n] };
    };
    scalar('motion_strength', (item) => item.strength);
    scalar('fps', (item) => item.fps);
    const timestep = new Array<number>(this.#timestepRank === 0 ? 1 : n).fill(0);
    return { items: indices, real, sample, text, scalars, timestep };
  }
}

/**
 * How many items one run can take: the batch dimension the graph declares (a number for a static export),
 * or 1 when the timestep or a scalar condition is declared as a single scalar (one value for the batch).
 */
function batchLimit(session: OnnxSession): number {
  const batch = session.input('sample').shape[0];
  if (typeof batch === 'number' && batch > 0) return batch;
  for (const name of ['timestep', 'motion_strength', 'fps']) {
    if (session.hasInput(name) && session.input(name).shape.length === 0) return 1;
  }
  return Infinity;
}
