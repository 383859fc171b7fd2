// A photo with regions of real size (issue 13, point 1): the storm photo (1920x1280) with a drifting sky
// and a flowing field that together cover about 90% of the frame. People animate skies, water and
// fields, so the motion bench measures these beside the small coffee regions.
import { fileURLToPath } from 'node:url';
import { decodePhoto } from '../src/engine/image/decode.js';
import type { RgbaImage } from '../src/engine/image/types.js';
import type { RegionSpec } from '../src/engine/render/types.js';

const STORM = fileURLToPath(new URL('../examples/photos/hard/storm.jpg', import.meta.url));

/** Rows [y0, y1) of the frame as a full-width mask. */
function band(width: number, height: number, y0: number, y1: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  mask.fill(255, Math.round(y0 * height) * width, Math.round(y1 * height) * width);
  return mask;
}

export async function stormScene(): Promise<{ photo: RgbaImage; regions: RegionSpec[]; coverage: number }> {
  const { image: photo } = await decodePhoto({ kind: 'path', path: STORM });
  const { width, height } = photo;
  const region = (id: string, mask: Uint8Array, prompt: string, direction: number): RegionSpec => ({
    id,
    mask: { width, height, data: mask },
    prompt,
    strength: 1.5,
    direction,
    seed: 1,
    start: 0,
    end: null,
    pose: null,
  });
  // The sky above the horizon (about 55%) drifts right; the field below it (about 35%) flows toward us.
  const regions = [
    region('sky', band(width, height, 0, 0.55), 'drift', 0),
    region('field', band(width, height, 0.6, 0.95), 'flow', 270),
  ];
  let covered = 0;
  for (let i = 0; i < width * height; i++) {
    if (regions.some((r) => r.mask.data[i]! > 0)) covered++;
  }
  return { photo, regions, coverage: covered / (width * height) };
}
