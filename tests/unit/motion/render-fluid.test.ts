// The fluid loop's opaque fast path (issue 13.1: it skips the alpha channel where no pixel of the photo
// is transparent, and reads and writes whole pixels) renders exactly what the general path renders, on
// the storm photo's sky; so does a frame buffer that whole pixels cannot be written to.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import type { FramePlan } from '../../../src/engine/motion/plan.js';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import { createScratch, renderFrameInto } from '../../../src/engine/motion/render-frame.js';
import type { JobControl, RegionSpec } from '../../../src/engine/render/types.js';
import type { Mask } from '../../../src/shared/index.js';

const STORM = fileURLToPath(new URL('../../../examples/photos/hard/storm.jpg', import.meta.url));
const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

/** Frame `index`; `offset` bytes into its buffer (1: not 4-byte aligned, so drawn byte by byte). */
function render(plan: FramePlan, index: number, offset = 0): Uint8Array {
  const out = new Uint8Array(plan.width * plan.height * 4 + offset).subarray(offset);
  renderFrameInto(plan, index, out, createScratch());
  return out;
}

/** A region that drifts right, from the start (or `start` seconds in). */
function drift(id: string, mask: Mask, strength: number, start = 0): RegionSpec {
  return { id, mask, prompt: 'drift', strength, direction: 0, seed: 1, start, end: null, pose: null };
}

describe('fluid frames of an opaque photo', () => {
  it('are the same to the byte as through the general path', async () => {
    const { image: photo } = await decodePhoto({ kind: 'path', path: STORM });
    const { width, height } = photo;
    const sky = new Uint8Array(width * height).fill(255, 0, Math.round(height * 0.55) * width);
    const size = { width: 480, height: 320 };
    const { plan } = await preparePlan(
      {
        photo,
        regions: [drift('sky', { width, height, data: sky }, 2)],
        timing: { seconds: 1, fps: 12, loop: 'loop' },
        size,
      },
      control(),
    );
    expect(plan.regions[0]?.kind).toBe('fluid');
    // The same photo with one barely transparent pixel in the far corner, below the sky: the general
    // path, and the same samples everywhere the sky reaches.
    const corner = (size.width * size.height - 1) * 4 + 3;
    const photo254 = plan.photo.slice();
    photo254[corner] = 254;
    const general: FramePlan = { ...plan, photo: photo254 };
    for (const index of [1, 4, 7]) {
      const fast = render(plan, index);
      const slow = render(general, index);
      expect(Buffer.compare(fast, plan.photo), `frame ${index} moves`).not.toBe(0);
      expect(Buffer.compare(fast, render(plan, index, 1)), `frame ${index}, unaligned`).toBe(0);
      slow[corner] = 255;
      expect(Buffer.compare(fast, slow), `frame ${index}`).toBe(0);
    }
  });
});

describe('a fluid beside what is not its region', () => {
  // A sky with a little texture to carry, and a red post three pixels wide standing in it that the
  // region leaves out (as a stem is left out of a sky, segment/classic/thin-structures.ts). The sky drifts right.
  const width = 480;
  const height = 320;
  const post = (x: number) => x >= 200 && x <= 202;
  const photo = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sky = [110 + 15 * Math.sin(x / 9) * Math.sin(y / 7), 150, 215];
      photo.set([...(post(x) ? [230, 40, 30] : sky), 255], (y * width + x) * 4);
    }
  }
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = post(i % width) ? 0 : 255;

  it('draws nothing outside its region and carries none of what is there into it', async () => {
    const { plan } = await preparePlan(
      {
        photo: { width, height, data: photo },
        regions: [drift('sky', { width, height, data: mask }, 3)],
        timing: { seconds: 1, fps: 12, loop: 'loop' },
        size: { width, height },
      },
      control(),
    );
    let moved = 0;
    const postChanged: string[] = [];
    const redInSky: string[] = [];
    for (let index = 1; index < 12; index++) {
      const frame = render(plan, index);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const o = (y * width + x) * 4;
          if (post(x)) {
            if (Buffer.compare(frame.subarray(o, o + 4), photo.subarray(o, o + 4)) !== 0) {
              postChanged.push(`${x},${y} in frame ${index}`);
            }
            continue;
          }
          if (frame[o] !== photo[o]) moved++;
          // The sky's red is 95-125, at most 1.5 times as far from its mean mid-cycle: more is the post's.
          if (frame[o]! >= 150) redInSky.push(`${x},${y} in frame ${index}: ${frame[o]}`);
        }
      }
    }
    expect(postChanged.slice(0, 5)).toEqual([]);
    expect(redInSky.slice(0, 5)).toEqual([]);
    expect(moved).toBeGreaterThan(11 * width * height * 0.3);
  });
});

describe('a fluid at rest over a fluid that moves', () => {
  it('shows the photo where it covers, and the moving one elsewhere', async () => {
    const { image: photo } = await decodePhoto({ kind: 'path', path: STORM });
    const { width, height } = photo;
    const rows = (from: number, to: number): Mask => ({
      width,
      height,
      data: new Uint8Array(width * height).fill(
        255,
        Math.round(height * from) * width,
        Math.round(height * to) * width,
      ),
    });
    const size = { width: 480, height: 320 };
    // The upper one moves from the start; the lower one, over the upper one's lower part, from 0.5 s.
    const { plan } = await preparePlan(
      {
        photo,
        regions: [drift('upper', rows(0, 0.6), 2), drift('lower', rows(0.4, 1), 2, 0.5)],
        timing: { seconds: 1, fps: 12, loop: 'once' },
        size,
      },
      control(),
    );
    const frame = render(plan, 3);
    const differs = (y0: number, y1: number) => {
      let n = 0;
      for (
        let i = Math.round(size.height * y0) * size.width * 4;
        i < Math.round(size.height * y1) * size.width * 4;
        i++
      ) {
        if (frame[i] !== plan.photo[i]) n++;
      }
      return n;
    };
    expect(differs(0, 0.35)).toBeGreaterThan(0);
    // Where the lower region lies over the upper one, at rest: the photo (its soft edge aside).
    expect(differs(0.45, 0.6)).toBe(0);
  });
});
