// What a clicked region most likely is, so a new region starts with the motion people give such a thing
// (issue 13, point 6): a sky drifts, water flows, foliage sways, a person breathes. A few plain image
// statistics inside the mask decide it (colour, brightness, texture, where the region sits), not a model:
// the answer is only a starting word the person can change, and it must cost a few milliseconds.
import type { Click, Mask, RegionSubject } from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';

/** The motion word each subject starts with (words of the built-in lexicon). */
export const SUBJECT_MOTION: Readonly<Record<RegionSubject, string>> = {
  sky: 'drift',
  water: 'flow',
  foliage: 'sway',
  person: 'breathe',
  other: 'sway',
};

export interface RegionFeatures {
  /** Share of the region's pixels of each colour family (0-1). */
  blue: number;
  green: number;
  skin: number;
  /** Mean brightness, 0-1. */
  brightness: number;
  /** Mean luminance step between neighbouring pixels inside the region, 0-255: low for a clear sky. */
  texture: number;
  /** Where the region's centre of mass is, as a share of the photo's height (0 top, 1 bottom). */
  centreY: number;
  /** Where its top edge is, as a share of the photo's height. */
  top: number;
  /** Share of the photo the region covers. */
  area: number;
  /** Share of skin right around the positive clicks: what was clicked, even when the mask spills over
   * into a plain background (a face on a studio backdrop). */
  clickedSkin: number;
}

/** At most this many pixels are read: the statistics settle long before, and a 12 MP photo stays fast. */
const SAMPLE_BUDGET = 40_000;

export function regionFeatures(image: RgbaImage, mask: Mask, clicks: readonly Click[] = []): RegionFeatures {
  const { width, height, data } = image;
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / SAMPLE_BUDGET)));
  let count = 0;
  let blue = 0;
  let green = 0;
  let skin = 0;
  let brightness = 0;
  let texture = 0;
  let textureCount = 0;
  let sumY = 0;
  let top = height;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const at = y * width + x;
      if (!mask.data[at]) continue;
      const r = data[at * 4]!;
      const g = data[at * 4 + 1]!;
      const b = data[at * 4 + 2]!;
      count++;
      sumY += y;
      if (y < top) top = y;
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const value = max / 255;
      const saturation = max === 0 ? 0 : (max - min) / max;
      const hue = hueOf(r, g, b, max, min);
      brightness += value;
      // Blue to cyan, or the pale grey-white of an overcast sky.
      if ((saturation > 0.12 && hue >= 170 && hue <= 260) || (saturation <= 0.12 && value > 0.55)) blue++;
      if (saturation > 0.15 && value > 0.12 && hue >= 55 && hue <= 165) green++;
      if (isSkin(r, g, b, hue, saturation, value)) skin++;
      const luma = 0.299 * r + 0.587 * g + 0.114 * b;
      const right = x + step < width && mask.data[at + step] ? lumaAt(data, (at + step) * 4) : null;
      const below =
        y + step < height && mask.data[at + step * width] ? lumaAt(data, (at + step * width) * 4) : null;
      if (right !== null) {
        texture += Math.abs(right - luma);
        textureCount++;
      }
      if (below !== null) {
        texture += Math.abs(below - luma);
        textureCount++;
      }
    }
  }
  if (count === 0) {
    return {
      blue: 0,
      green: 0,
      skin: 0,
      brightness: 0,
      texture: 0,
      centreY: 0.5,
      top: 1,
      area: 0,
      clickedSkin: 0,
    };
  }
  const sampled = Math.ceil(width / step) * Math.ceil(height / step);
  return {
    blue: blue / count,
    green: green / count,
    skin: skin / count,
    brightness: brightness / count,
    // Per photo pixel, whatever the sampling step.
    texture: textureCount ? texture / textureCount / step : 0,
    centreY: sumY / count / height,
    top: top / height,
    area: count / sampled,
    clickedSkin: skinAroundClicks(image, mask, clicks),
  };
}

/** Skin share in a small window (2% of the long side) around each positive click, inside the mask. */
function skinAroundClicks(image: RgbaImage, mask: Mask, clicks: readonly Click[]): number {
  const { width, height, data } = image;
  const radius = Math.max(3, Math.round(0.02 * Math.max(width, height)));
  let count = 0;
  let skin = 0;
  for (const click of clicks) {
    if (!click.positive) continue;
    const cx = Math.round(click.x);
    const cy = Math.round(click.y);
    for (let y = Math.max(0, cy - radius); y <= Math.min(height - 1, cy + radius); y++) {
      for (let x = Math.max(0, cx - radius); x <= Math.min(width - 1, cx + radius); x++) {
        const at = y * width + x;
        if (!mask.data[at]) continue;
        const r = data[at * 4]!;
        const g = data[at * 4 + 1]!;
        const b = data[at * 4 + 2]!;
        const max = Math.max(r, g, b);
        const min = Math.min(r, g, b);
        const saturation = max === 0 ? 0 : (max - min) / max;
        count++;
        if (isSkin(r, g, b, hueOf(r, g, b, max, min), saturation, max / 255)) skin++;
      }
    }
  }
  return count ? skin / count : 0;
}

/** The subject a region's statistics point to; "other" when nothing is clear (it keeps "sway"). */
export function classifyFeatures(f: RegionFeatures): RegionSubject {
  // A person: skin where the click was, or skin tones over a good part of the region (warm fur reads
  // the same, and breathes as well).
  if ((f.clickedSkin > 0.5 || f.skin > 0.35) && f.green < 0.2) return 'person';
  // Sky: blue or pale grey, smooth, reaching the top of the photo and weighing in its upper half.
  if (f.blue > 0.6 && f.texture < 6 && f.top < 0.2 && f.centreY < 0.5) return 'sky';
  // Water: blue or cyan lower in the frame (rippled or calm).
  if (f.blue > 0.55 && f.centreY >= 0.5) return 'water';
  // Foliage: mostly green, or the fine, strong texture of grass and leaves (even in grey light).
  if (f.green > 0.45 || f.texture >= 12) return 'foliage';
  return 'other';
}

export function regionSubject(image: RgbaImage, mask: Mask, clicks: readonly Click[] = []): RegionSubject {
  return classifyFeatures(regionFeatures(image, mask, clicks));
}

function lumaAt(data: Uint8Array, i: number): number {
  return 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
}

function hueOf(r: number, g: number, b: number, max: number, min: number): number {
  const d = max - min;
  if (d === 0) return 0;
  let h: number;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

/**
 * Skin in any light: red-orange hue, moderate saturation, not dark. The saturation ceiling keeps out the
 * saturated browns and oranges of coffee, wood and terracotta that share skin's hue.
 */
function isSkin(r: number, g: number, b: number, hue: number, saturation: number, value: number): boolean {
  return (
    (hue <= 35 || hue >= 345) &&
    saturation >= 0.15 &&
    saturation <= 0.5 &&
    value >= 0.35 &&
    r > g &&
    r - b > 30
  );
}
