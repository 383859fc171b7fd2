import type { Box, Click, Mask, SegmenterId } from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';

export interface SegmentRequest {
  clicks: Click[];
  box: Box | null;
  /** The region's current mask when refining it; the segmenter may use it as a prior. */
  previous: Mask | null;
  /** Identifies the photo, so per-photo work (SAM's image embedding) is done once and cached. */
  photoKey: string;
}

export interface SegmentOutput {
  /** At the photo's size: 255 inside, 0 outside. */
  mask: Mask;
  /** 0-1 confidence. */
  score: number;
  /** Who answered, when not the segmenter asked (a click on a person or a face: 'people'). */
  segmenter?: SegmenterId;
}

export interface Segmenter {
  readonly id: SegmenterId;
  segment(photo: RgbaImage, request: SegmentRequest, signal?: AbortSignal): Promise<SegmentOutput>;
  /** Drops what was cached for a photo. */
  forget(photoKey: string): void;
  dispose(): Promise<void>;
}
