// The optional pose ControlNet (MODEL-PACKS.md, "Pose ControlNet"): run per frame on [B*F, 4, h, w] with
// the skeleton drawings, its 12 down-block and 1 mid-block residuals go into the UNet as extra inputs
// (diffusers' AnimateDiff ControlNet pipeline runs it the same way). When no region has a pose, the UNet
// still declares the residual inputs: it gets zeros, shaped after one small probing run.
import type { Feed, Fetched, OnnxSession } from '../models/sessions.js';
import type { LatentShape } from './types.js';
import type { ResidualSource, UnetChunk, UnetItem } from './unet.js';

export interface ControlNetSetup {
  session: OnnxSession;
  /** Output (and UNet input) names, down blocks then mid block. */
  residualNames: readonly string[];
  scale: number;
  shape: LatentShape;
  /** One embedding's [length, hidden]. */
  textDims: readonly [number, number];
  /** [F, 3, H, W] drawings in 0-1, or null for no pose. */
  drawings: Float32Array | null;
  /** The drawings' size (the working size). */
  imageSize: { width: number; height: number };
}

interface ChunkInputs {
  text: Float32Array;
  cond: Float32Array;
  /** The chunk's latents frames-first [n * F, 4, h, w], rewritten each step. */
  sample: Float32Array;
}

export class PoseControlNet {
  readonly #setup: ControlNetSetup;
  readonly #perChunk = new Map<UnetChunk, ChunkInputs>();
  readonly #zeros = new Map<number, Record<string, Feed>>();

  constructor(setup: ControlNetSetup) {
    this.#setup = setup;
  }

  /** Residuals for the UNet's chunks, from the items' texts. */
  source(items: readonly UnetItem[]): ResidualSource {
    return async (chunk, latents, timestep, signal) => {
      if (this.#setup.drawings === null) return this.#zeroResiduals(chunk.items.length, signal);
      const { session, shape, textDims, imageSize } = this.#setup;
      const { frames, height, width } = shape;
      const n = chunk.items.length;
      const inputs = this.#chunkInputs(chunk, items);
      const out = await session.run(
        {
          sample: { data: framesFirst(latents, shape, inputs.sample), dims: [n * frames, 4, height, width] },
          timestep: this.#timestepFeed(timestep, n * frames),
          encoder_hidden_states: { data: inputs.text, dims: [n * frames, ...textDims] },
          controlnet_cond: { data: inputs.cond, dims: [n * frames, 3, imageSize.height, imageSize.width] },
          conditioning_scale: this.#scaleFeed(this.#setup.scale),
        },
        signal,
      );
      return asFeeds(out, this.#setup.residualNames);
    };
  }

  #timestepFeed(timestep: number, count: number): Feed {
    return this.#setup.session.input('timestep').shape.length === 0
      ? { data: [timestep], dims: [] }
      : { data: new Array<number>(count).fill(timestep), dims: [count] };
  }

  #scaleFeed(scale: number): Feed {
    return this.#setup.session.input('conditioning_scale').shape.length === 0
      ? { data: [scale], dims: [] }
      : { data: [scale], dims: [1] };
  }

  #chunkInputs(chunk: UnetChunk, items: readonly UnetItem[]): ChunkInputs {
    let inputs = this.#perChunk.get(chunk);
    if (inputs) return inputs;
    const { frames } = this.#setup.shape;
    const drawings = this.#setup.drawings!;
    const n = chunk.items.length;
    const embedding = items[0]!.text.length;
    const text = new Float32Array(n * frames * embedding);
    const cond = new Float32Array(n * drawings.length);
    chunk.items.forEach((index, j) => {
      for (let f = 0; f < frames; f++) text.set(items[index]!.text, (j * frames + f) * embedding);
      cond.set(drawings, j * drawings.length);
    });
    inputs = {
      text,
      cond,
      sample: new Float32Array(n * 4 * frames * this.#setup.shape.height * this.#setup.shape.width),
    };
    this.#perChunk.set(chunk, inputs);
    return inputs;
  }

  /**
   * Zero residuals for `n` items, their shapes read from one probing run: a single frame, or the fixed
   * batch the graph declares (an exported ControlNet is traced at B*F images and keeps that batch).
   */
  async #zeroResiduals(n: number, signal?: AbortSignal): Promise<Record<string, Feed>> {
    const cached = this.#zeros.get(n);
    if (cached) return cached;
    const { session, shape, textDims, imageSize } = this.#setup;
    const declared = session.input('sample').shape[0];
    const batch = typeof declared === 'number' && declared > 0 ? declared : 1;
    const probe = await session.run(
      {
        sample: {
          data: new Float32Array(batch * 4 * shape.height * shape.width),
          dims: [batch, 4, shape.height, shape.width],
        },
        timestep: this.#timestepFeed(0, batch),
        encoder_hidden_states: {
          data: new Float32Array(batch * textDims[0] * textDims[1]),
          dims: [batch, ...textDims],
        },
        controlnet_cond: {
          data: new Float32Array(batch * 3 * imageSize.height * imageSize.width),
          dims: [batch, 3, imageSize.height, imageSize.width],
        },
        conditioning_scale: this.#scaleFeed(0),
      },
      signal,
    );
    const zeros: Record<string, Feed> = {};
    for (const name of this.#setup.residualNames) {
      const dims = [n * shape.frames, ...probe[name]!.dims.slice(1)];
      zeros[name] = { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims };
    }
    this.#zeros.set(n, zeros);
    return zeros;
  }
}

/** [4, F, h, w] -> n copies of [F, 4, h, w] in `out`: the ControlNet sees frames as a batch of images. */
function framesFirst(latents: Float32Array, shape: LatentShape, out: Float32Array): Float32Array {
  const { frames, height, width } = shape;
  const plane = height * width;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < 4; c++) {
      out.set(latents.subarray((c * frames + f) * plane, (c * frames + f + 1) * plane), (f * 4 + c) * plane);
    }
  }
  for (let j = 1; j * latents.length < out.length; j++) out.copyWithin(j * latents.length, 0, latents.length);
  return out;
}

function asFeeds(out: Record<string, Fetched>, names: readonly string[]): Record<string, Feed> {
  const feeds: Record<string, Feed> = {};
  for (const name of names) feeds[name] = { data: out[name]!.data, dims: out[name]!.dims };
  return feeds;
}
