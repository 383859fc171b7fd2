// Click -> mask with Segment Anything (the paper, section 3.1: "we integrate a promptable segmentation tool
// SAM to convert the point prompt to a high-quality object mask"). The image encoder runs once per photo
// (its embedding is cached by photoKey); the light decoder runs per set of clicks, refining from the
// previous low-res mask when the person adds clicks to a region SAM made, and the best of its masks is
// chosen by predicted IoU.
import { StirError, throwIfCancelled, type Mask } from '../../../shared/index.js';
import type { RgbaImage } from '../../image/types.js';
import { contractsOf } from '../../models/contract.js';
import type { SegmenterComponent } from '../../models/manifest.js';
import { LazySession, type Fetched, type ProviderPreference } from '../../models/sessions.js';
import type { LoadedPack } from '../../models/validate.js';
import type { SegmentOutput, SegmentRequest, Segmenter } from '../types.js';
import { encoderInput, promptPoints, type ResizedFrame } from './preprocess.js';

const LOW_RES = 256;

interface Embedding {
  width: number;
  height: number;
  frame: ResizedFrame;
  data: Float32Array;
}

/** A mask this segmenter gave, with the decoder's low-res logits behind it, for refinement. */
interface PastResult {
  mask: Uint8Array;
  lowRes: Float32Array;
}

/** What the decoder gave for one request (SamSegmenter.decode). */
export interface SamDecoded {
  masks: Fetched;
  iou: Fetched;
  lowRes: Fetched;
  /** The mask with the highest predicted IoU. */
  best: number;
}

export interface SamSegmenterOptions {
  provider?: ProviderPreference;
  /** Photos whose embeddings are kept (4 MiB each). */
  photosCached?: number;
  /** Past masks per photo whose low-res logits are kept for refinement. */
  resultsCached?: number;
}

export class SamSegmenter implements Segmenter {
  readonly id = 'sam' as const;
  readonly #config: SegmenterComponent;
  readonly #encoder: LazySession;
  readonly #decoder: LazySession;
  readonly #embeddings = new Map<string, Promise<Embedding>>();
  readonly #results = new Map<string, PastResult[]>();
  readonly #photosCached: number;
  readonly #resultsCached: number;
  /** Runs so far (diagnostics; tests check that the encoder runs once per photo). */
  readonly stats = { encoderRuns: 0, decoderRuns: 0, refinements: 0 };

  constructor(pack: LoadedPack, options: SamSegmenterOptions = {}) {
    const config = pack.manifest.components.segmenter;
    if (!config) {
      throw new StirError('PACK_INVALID', `The model pack "${pack.manifest.name}" has no segmenter.`, {
        details: { dir: pack.dir },
      });
    }
    this.#config = config;
    const contracts = contractsOf(pack.manifest);
    const open = { provider: options.provider ?? 'auto' };
    this.#encoder = new LazySession(pack.path(config.encoder), contracts.get(config.encoder)!, open);
    this.#decoder = new LazySession(pack.path(config.decoder), contracts.get(config.decoder)!, open);
    this.#photosCached = options.photosCached ?? 4;
    this.#resultsCached = options.resultsCached ?? 16;
  }

  async segment(photo: RgbaImage, request: SegmentRequest, signal?: AbortSignal): Promise<SegmentOutput> {
    const prior = request.previous ? this.#priorFor(request.photoKey, request.previous) : null;
    if (prior) this.stats.refinements++;
    const { masks, iou, lowRes, best } = await this.decode(photo, { ...request, prior }, signal);
    const mask = maskFromLogits(masks.data, masks.dims, best, photo.width, photo.height);
    if (!mask.data.some((v) => v !== 0)) {
      throw new StirError('EMPTY_MASK', 'Nothing was selected there.', {
        hint: 'Click inside the thing you want to animate, or drag a box around it.',
      });
    }
    const plane = LOW_RES * LOW_RES;
    this.#remember(request.photoKey, {
      mask: mask.data,
      lowRes: lowRes.data.slice(best * plane, (best + 1) * plane),
    });
    return { mask, score: Math.min(1, Math.max(0, iou.data[best]!)) };
  }

  /**
   * The decoder's own outputs for clicks (and a box) on the photo: mask logits at the photo's size
   * [1, K, H, W], predicted IoU [1, K], low-res logits [1, K, 256, 256], and which mask is best by IoU.
   * `prior`: low-res logits [256 x 256] to refine from. segment() reads the mask from these; the
   * reference comparison (tests/unit/reference) reads the logits themselves.
   */
  async decode(
    photo: RgbaImage,
    request: Pick<SegmentRequest, 'clicks' | 'box' | 'photoKey'> & { prior?: Float32Array | null },
    signal?: AbortSignal,
  ): Promise<SamDecoded> {
    throwIfCancelled(signal);
    const embedding = await this.#embed(photo, request.photoKey, signal);
    throwIfCancelled(signal);
    const points = promptPoints(request.clicks, request.box ?? null, embedding.frame);
    const prior = request.prior ?? null;
    const decoder = await this.#decoder.get();
    this.stats.decoderRuns++;
    const out = await decoder.run(
      {
        image_embeddings: { data: embedding.data, dims: [1, 256, 64, 64] },
        point_coords: { data: points.coords, dims: [1, points.count, 2] },
        point_labels: { data: points.labels, dims: [1, points.count] },
        mask_input: { data: prior ?? new Float32Array(LOW_RES * LOW_RES), dims: [1, 1, LOW_RES, LOW_RES] },
        has_mask_input: { data: [prior ? 1 : 0], dims: [1] },
        orig_im_size: { data: [photo.height, photo.width], dims: [2] },
      },
      signal,
    );
    const iou = out.iou_predictions!;
    // The best of the decoder's masks by its own predicted IoU.
    let best = 0;
    for (let k = 1; k < iou.data.length; k++) if (iou.data[k]! > iou.data[best]!) best = k;
    return { masks: out.masks!, iou, lowRes: out.low_res_masks!, best };
  }

  forget(photoKey: string): void {
    this.#embeddings.delete(photoKey);
    this.#results.delete(photoKey);
  }

  /** Frees the sessions (they load again when next needed); cached embeddings stay. */
  async release(): Promise<void> {
    await Promise.all([this.#encoder.release(), this.#decoder.release()]);
  }

  async dispose(): Promise<void> {
    this.#embeddings.clear();
    this.#results.clear();
    await this.release();
  }

  #embed(photo: RgbaImage, photoKey: string, signal?: AbortSignal): Promise<Embedding> {
    const cached = this.#embeddings.get(photoKey);
    if (cached) {
      // Most recently used last, so the oldest photo is dropped first.
      this.#embeddings.delete(photoKey);
      this.#embeddings.set(photoKey, cached);
      return cached.then((e) =>
        e.width === photo.width && e.height === photo.height
          ? e
          : this.#freshEmbedding(photo, photoKey, signal),
      );
    }
    return this.#freshEmbedding(photo, photoKey, signal);
  }

  #freshEmbedding(photo: RgbaImage, photoKey: string, signal?: AbortSignal): Promise<Embedding> {
    const side = this.#config.imageSize;
    const pending = (async () => {
      const { tensor, frame } = await encoderInput(
        photo,
        side,
        this.#config.pixelMean,
        this.#config.pixelStd,
      );
      const encoder = await this.#encoder.get();
      this.stats.encoderRuns++;
      const out = await encoder.run({ image: { data: tensor, dims: [1, 3, side, side] } }, signal);
      return { width: photo.width, height: photo.height, frame, data: out.image_embeddings!.data };
    })();
    this.#embeddings.set(photoKey, pending);
    // A failed or cancelled encoding is not kept.
    pending.catch(() => {
      if (this.#embeddings.get(photoKey) === pending) this.#embeddings.delete(photoKey);
    });
    while (this.#embeddings.size > this.#photosCached) {
      this.#embeddings.delete(this.#embeddings.keys().next().value!);
    }
    return pending;
  }

  /**
   * The low-res logits behind `previous` when this segmenter made that mask (SAM refines from its own
   * low_res_masks, as in its interactive demo); null for a mask from elsewhere (painted, classic), which
   * SAM was not trained to take as a prior.
   */
  #priorFor(photoKey: string, previous: Mask): Float32Array | null {
    const past = this.#results.get(photoKey) ?? [];
    const found = past.find((r) => sameBytes(r.mask, previous.data));
    return found ? found.lowRes : null;
  }

  #remember(photoKey: string, result: PastResult): void {
    const past = this.#results.get(photoKey) ?? [];
    past.push(result);
    while (past.length > this.#resultsCached) past.shift();
    this.#results.set(photoKey, past);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Mask k of the decoder's logits [1, K, h, w] at the photo's size (nearest sampling when sizes differ): 255 where logit > 0. */
export function maskFromLogits(
  logits: Float32Array,
  dims: readonly number[],
  k: number,
  width: number,
  height: number,
): Mask {
  const h = dims[2]!;
  const w = dims[3]!;
  const offset = k * h * w;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = h === height ? y : Math.min(h - 1, Math.floor(((y + 0.5) * h) / height));
    for (let x = 0; x < width; x++) {
      const sx = w === width ? x : Math.min(w - 1, Math.floor(((x + 0.5) * w) / width));
      data[y * width + x] = logits[offset + sy * w + sx]! > 0 ? 255 : 0;
    }
  }
  return { width, height, data };
}
