import type { Box, Click, Mask, PeoplePart, SegmenterId } from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';

/** A thing an object detector found on the photo (a kite, a cup, a boat), in photo pixels. */
export interface DetectedObject {
  /** The detector's class name (COCO: 'kite', 'cup', 'boat', ...). */
  label: string;
  /** The detector's confidence, 0-1. */
  score: number;
  /** x, y, width, height in photo pixels. */
  box: [number, number, number, number];
}

export interface SegmentRequest {
  clicks: Click[];
  box: Box | null;
  /** The region's current mask when refining it; the segmenter may use it as a prior. */
  previous: Mask | null;
  /** Identifies the photo, so per-photo work (SAM's image embedding) is done once and cached. */
  photoKey: string;
  /**
   * Which of the segmenter's ranked answers to a new region's clicks to give (0, the default, is its
   * best); one past the last gives the last. Segmenters with a single answer ignore it.
   */
  hypothesis?: number;
  /**
   * Objects detected on the photo beforehand (once per photo, with the people): a click inside one's box
   * may be answered with the object that fills the box. Segmenters that cannot use them ignore them.
   */
  objects?: readonly DetectedObject[];
}

export interface SegmentOutput {
  /** At the photo's size: 255 inside, 0 outside. */
  mask: Mask;
  /** 0-1 confidence. */
  score: number;
  /** How many ranked answers these clicks have (1 when the segmenter gives only one). */
  hypotheses?: number;
  /** Which of them this is, 0 the best. */
  hypothesis?: number;
  /** Who answered, when not the segmenter asked (a click on a person or a face: 'people'). */
  segmenter?: SegmenterId;
  /** When the click landed on a detected face or person: which (its first motion word follows). */
  people?: PeoplePart;
}

export interface Segmenter {
  readonly id: SegmenterId;
  segment(photo: RgbaImage, request: SegmentRequest, signal?: AbortSignal): Promise<SegmentOutput>;
  /** Drops what was cached for a photo. */
  forget(photoKey: string): void;
  /** Does the per-photo work now (when the photo opens), so the first click answers as fast as the next. */
  prepare?(photo: RgbaImage, photoKey: string): Promise<void>;
  /**
   * The object under a point before any click, cheaply, for the hover outline: a mask at a reduced size
   * (its aspect the photo's), 255 inside.
   */
  hover?(photo: RgbaImage, photoKey: string, point: { x: number; y: number }): Promise<Mask>;
  /** The hover's floods from several points at once (a person's outline is the union of many). */
  hoverFloods?(
    photo: RgbaImage,
    photoKey: string,
    points: ReadonlyArray<{ x: number; y: number }>,
  ): Promise<HoverFloods>;
  dispose(): Promise<void>;
}

/** Hover floods over the working image's superpixels: which superpixels each point's flood took. */
export interface HoverFloods {
  /** The working image's size, the hover outline's. */
  width: number;
  height: number;
  /** Superpixel index of each working-image pixel. */
  labels: Int32Array;
  /** Per point, 1 for each superpixel its flood took. */
  floods: Uint8Array[];
}
