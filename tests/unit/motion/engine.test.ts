// Invariants of every motion primitive (issue 3, point 7): first frame, still background, loop closure,
// strength, determinism; and the engine's contract: windows, loop modes, overlaps, workers, cancellation.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoopMode, Mask } from '../../../src/shared/index.js';
import {
  dilatedRegions,
  loopSeam,
  maskAt,
  meanAbsoluteDifference,
} from '../../../src/engine/eval/metrics.js';
import { rasterize, type SceneShape } from '../../../src/engine/eval/shapes.js';
import { resizeRgba } from '../../../src/engine/image/encode.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine, MotionAnimation } from '../../../src/engine/motion/index.js';
import type { JobControl, RegionSpec } from '../../../src/engine/render/types.js';
import { loadPhoto } from '../../helpers/photos.js';
import { regionSpec } from '../../helpers/region-spec.js';
import { allFrames } from '../../helpers/frames.js';

const SIZE = { width: 150, height: 100 };
const COFFEE: SceneShape = { kind: 'ellipse', cx: 0.48, cy: 0.37, rx: 0.13, ry: 0.13 };
const SPOON: SceneShape = { kind: 'ellipse', cx: 0.62, cy: 0.55, rx: 0.1, ry: 0.25 };
const WHOLE: SceneShape = { kind: 'whole' };

let photo: RgbaImage;
let reference: RgbaImage;
const inline = createMotionEngine({ workers: 0 });
const control = (signal = new AbortController().signal): JobControl => ({
  signal,
  progress: () => undefined,
});

beforeAll(async () => {
  photo = (await loadPhoto('coffee.png')).image;
  reference = await resizeRgba(photo, SIZE.width, SIZE.height);
});

function spec(prompt: string, shape: SceneShape, extra: Partial<RegionSpec> = {}): RegionSpec {
  return regionSpec({
    id: prompt,
    mask: rasterize(shape, photo.width, photo.height),
    prompt,
    strength: 2,
    seed: 3,
    ...extra,
  });
}

async function render(regions: RegionSpec[], loop: LoopMode = 'loop', engine = inline, seconds = 2) {
  const animation = (await engine.prepare(
    { photo, regions, timing: { seconds, fps: 12, loop }, size: SIZE },
    control(),
  )) as MotionAnimation;
  const frames = await allFrames(animation);
  return { frames, regions: animation.regions };
}

const equal = (a: RgbaImage, b: RgbaImage) => Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) === 0;

describe.each([
  ['flow', COFFEE],
  ['ripple', COFFEE],
  ['shimmer', COFFEE],
  ['boil', COFFEE],
  ['swirl', COFFEE],
  ['blow', COFFEE],
  ['sway', SPOON],
  ['wave', SPOON],
  ['bob', SPOON],
  ['bounce', SPOON],
  ['swing', SPOON],
  ['spin', COFFEE],
  ['shake', SPOON],
  ['pulse', COFFEE],
  ['launch', SPOON],
  ['zoom in', COFFEE],
  ['zoom in', WHOLE],
  ['zoom out', WHOLE],
  ['pan', WHOLE],
])('%s (%o)', (prompt, shape) => {
  let frames: RgbaImage[];
  let field: number;
  let area: Mask;
  beforeAll(async () => {
    const result = await render([spec(prompt, shape)]);
    frames = result.frames;
    field = result.regions[0]!.fieldStrength;
    area = result.regions[0]!.motionArea;
  });

  it('starts on the photo, at the output size', () => {
    expect(frames).toHaveLength(24);
    expect(frames[0]!.width).toBe(SIZE.width);
    expect(equal(frames[0]!, reference)).toBe(true);
  });

  it('moves', () => {
    expect(frames.some((frame) => !equal(frame, reference))).toBe(true);
  });

  it('leaves every pixel beyond its motion area and its 2% band as it was, in every frame', () => {
    if (shape.kind === 'whole') return;
    const mask = rasterize(shape, photo.width, photo.height);
    // The motion area is the region's own mask, but for a travel: the mask swept along its path.
    if (prompt === 'sway' || prompt === 'wave') {
      // A bend moves the photo around it over a band as wide as its swing needs: its area holds its mask.
      const own = maskAt(mask, SIZE.width, SIZE.height);
      const reach = maskAt(area, SIZE.width, SIZE.height);
      expect(own.every((v, i) => v === 0 || reach[i] === 1)).toBe(true);
    } else if (prompt === 'launch') {
      const own = maskAt(mask, SIZE.width, SIZE.height);
      const swept = maskAt(area, SIZE.width, SIZE.height);
      expect(own.every((v, i) => v === 0 || swept[i] === 1)).toBe(true);
      expect(swept.reduce((a, b) => a + b, 0)).toBeGreaterThan(1.5 * own.reduce((a, b) => a + b, 0));
    } else {
      expect(area).toEqual(mask);
    }
    const band = dilatedRegions([area], SIZE.width, SIZE.height, 0.02);
    let changed = 0;
    let checked = 0;
    for (const frame of frames) {
      for (let p = 0; p < band.length; p++) {
        if (band[p]) continue;
        checked++;
        for (let c = 0; c < 4; c++) if (frame.data[p * 4 + c] !== reference.data[p * 4 + c]) changed++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(changed).toBe(0);
  });

  it('closes its loop: the step from the last frame to the first is like the steps within', () => {
    const steps = frames.slice(1).map((frame, i) => meanAbsoluteDifference(frames[i]!, frame));
    const seam = meanAbsoluteDifference(frames[frames.length - 1]!, frames[0]!);
    // Frame 0 is the photo itself, every other frame a resampling of it: a little more than the largest
    // step is allowed (shimmer, at 2.5 Hz sampled at 12 fps, reaches 1.001x).
    expect(seam, prompt).toBeLessThanOrEqual(1.08 * Math.max(...steps));
    expect(loopSeam(frames[frames.length - 1]!, frames[0]!, steps), prompt).toBeLessThan(2);
  });

  it('has the requested strength in its own displacement field', () => {
    if (prompt === 'spin') return; // whole turns per loop: checked below
    // A looping travel must leave the frame and come back within the clip: at least as fast as asked,
    // faster when that is what it takes (tests/unit/motion/travel.test.ts).
    if (prompt === 'launch') expect(field).toBeGreaterThanOrEqual(2 * 0.98);
    // A wave's fade lies mostly inside its region (it may not drag what lies beside it): on a region as
    // thin as the spoon it swings less than asked, and its field says how much.
    else if (prompt === 'wave') {
      expect(field).toBeGreaterThan(0.2);
      expect(field).toBeLessThan(2);
    } else expect(field).toBeCloseTo(2, 1);
  });
});

describe('motion engine', () => {
  it('scales strength linearly on its own field, and spins whole turns in a loop', async () => {
    for (const prompt of ['flow', 'blow', 'bob', 'pulse']) {
      const one = (await render([{ ...spec(prompt, COFFEE), strength: 1 }])).regions[0]!.fieldStrength;
      const four = (await render([{ ...spec(prompt, COFFEE), strength: 4 }])).regions[0]!.fieldStrength;
      expect(four / one).toBeCloseTo(4, 2);
    }
    const spin = await render([spec('spin', COFFEE)], 'once');
    expect(spin.regions[0]!.fieldStrength).toBeCloseTo(2, 1);
  });

  it('starts a layer motion without a pop: a tiny motion changes the picture only a little', async () => {
    // The layer over the filled background is exactly the photo at rest (its feathered edge is unmixed
    // from the fill), so a motion of a twentieth of a pixel per frame changes pixels by a few levels.
    for (const prompt of ['bob', 'launch']) {
      const { frames } = await render([{ ...spec(prompt, SPOON), strength: 0.02 }], 'once');
      let most = 0;
      for (const frame of frames.slice(0, 6)) {
        for (let i = 0; i < frame.data.length; i++)
          most = Math.max(most, Math.abs(frame.data[i]! - reference.data[i]!));
      }
      // (Without the unmixing: 13 for bob, 11 for launch; the fill shows through the feathered edge.)
      expect(most, prompt).toBeLessThan(9);
    }
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const regions = [spec('storm', COFFEE), spec('shake', SPOON)];
    const a = await render(regions);
    const b = await render(regions);
    a.frames.forEach((frame, i) => expect(equal(frame, b.frames[i]!)).toBe(true));
    const c = await render(regions.map((r) => ({ ...r, seed: 4 })));
    expect(c.frames.some((frame, i) => !equal(frame, a.frames[i]!))).toBe(true);
  });

  it('renders the same frames on worker threads as inline', async () => {
    const regions = [spec('flow', COFFEE), spec('sway', SPOON)];
    const a = await render(regions, 'loop', inline, 1);
    const b = await render(regions, 'loop', createMotionEngine({ workers: 2 }), 1);
    a.frames.forEach((frame, i) => expect(equal(frame, b.frames[i]!)).toBe(true));
  });

  it("reports the motion areas from a worker as inline, a region's own mask as the very array it was given", async () => {
    // flow moves within its mask; launch travels, so its area is its mask swept along the path.
    const regions = [spec('flow', COFFEE), spec('launch', SPOON)];
    const workers = createMotionEngine({ workers: 1 });
    try {
      const a = await render(regions, 'loop', inline, 1);
      const b = await render(regions, 'loop', workers, 1);
      expect(b.regions[0]!.motionArea).toBe(regions[0]!.mask);
      expect(b.regions[1]!.motionArea).not.toBe(regions[1]!.mask);
      b.regions.forEach((report, i) => {
        const own = a.regions[i]!.motionArea;
        expect([report.motionArea.width, report.motionArea.height]).toEqual([own.width, own.height]);
        expect(Buffer.compare(Buffer.from(report.motionArea.data), Buffer.from(own.data))).toBe(0);
      });
    } finally {
      await workers.dispose();
    }
  });

  it('plays ping-pong: forwards, then the same frames backwards', async () => {
    const { frames } = await render([spec('flow', COFFEE), spec('bob', SPOON)], 'pingpong');
    for (let t = 1; t < 12; t++) expect(equal(frames[t]!, frames[24 - t]!)).toBe(true);
    expect(equal(frames[1]!, frames[0]!)).toBe(false);
  });

  it('moves a region only between its start and end', async () => {
    const { frames } = await render([spec('ripple', COFFEE, { start: 0.5, end: 1.25 })], 'once');
    for (let t = 0; t <= 6; t++) expect(equal(frames[t]!, reference)).toBe(true);
    expect(equal(frames[9]!, reference)).toBe(false);
    for (let t = 15; t < 24; t++) expect(equal(frames[t]!, reference)).toBe(true);
  });

  it('draws a fluid below the rest, whichever was listed first, and a warp moves what lies below it', async () => {
    const swirl = spec('swirl', COFFEE);
    const sway = spec('sway', COFFEE);
    const swirlFirst = await render([swirl, sway]);
    const swayFirst = await render([sway, swirl]);
    const swirlAlone = await render([swirl]);
    const swayAlone = await render([sway]);
    const inner = rasterize(
      { kind: 'ellipse', cx: 0.48, cy: 0.37, rx: 0.08, ry: 0.08 },
      SIZE.width,
      SIZE.height,
    );
    const differs = (a: Uint8Array, b: Uint8Array): number => {
      let n = 0;
      for (let p = 0; p < inner.data.length; p++) if (inner.data[p] && a[p * 4] !== b[p * 4]) n++;
      return n;
    };
    let fromSwirl = 0;
    let fromSway = 0;
    for (const [i, frame] of swirlFirst.frames.entries()) {
      expect(Buffer.compare(frame.data, swayFirst.frames[i]!.data), `frame ${i}`).toBe(0);
      fromSwirl += differs(frame.data, swirlAlone.frames[i]!.data);
      fromSway += differs(frame.data, swayAlone.frames[i]!.data);
    }
    // Both move the middle of the coffee: the sway bends the swirling liquid, not the still photo.
    expect(fromSwirl).toBeGreaterThan(0);
    expect(fromSway).toBeGreaterThan(0);
  });

  it('stops when cancelled, and refuses words it cannot do', async () => {
    const controller = new AbortController();
    const animation = await inline.prepare(
      { photo, regions: [spec('flow', COFFEE)], timing: { seconds: 2, fps: 12, loop: 'loop' }, size: SIZE },
      control(),
    );
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const { index } of animation.frames({ signal: controller.signal })) {
          seen.push(index);
          if (index === 3) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen).toEqual([0, 1, 2, 3]);
    await animation.dispose();
    await expect(
      inline.prepare(
        {
          photo,
          regions: [spec('dance', COFFEE)],
          timing: { seconds: 1, fps: 12, loop: 'loop' },
          size: SIZE,
        },
        control(),
      ),
    ).rejects.toMatchObject({ code: 'NEEDS_DIFFUSION' });
  });
});
