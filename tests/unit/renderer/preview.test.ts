import { describe, expect, it } from 'vitest';
import {
  nextFrame,
  frameAtTime,
  memoryCappedLongSide,
  previewLongSide,
} from '../../../src/renderer/src/lib/preview/playback.js';
import {
  mergeOverlapping,
  planRender,
  regionSignature,
  renderLongSide,
  renderUnderWayServes,
  type RenderedRegion,
  type RenderSnapshot,
} from '../../../src/renderer/src/lib/preview/affected.js';

function run(mode: 'loop' | 'once' | 'pingpong', count: number, ready: number, steps: number): number[] {
  let state = { frame: 0, direction: 1 as 1 | -1 };
  const out = [0];
  for (let i = 0; i < steps; i++) {
    const next = nextFrame(state.frame, state.direction, count, ready, mode);
    out.push(next.frame);
    state = next;
    if (next.ended) break;
  }
  return out;
}

describe('playback order', () => {
  it('loops, plays once, and ping-pongs without repeating the end frames', () => {
    expect(run('loop', 4, 4, 6)).toEqual([0, 1, 2, 3, 0, 1, 2]);
    expect(run('once', 4, 4, 6)).toEqual([0, 1, 2, 3, 3]);
    expect(run('pingpong', 4, 4, 8)).toEqual([0, 1, 2, 3, 2, 1, 0, 1, 2]);
  });

  it('loops over the frames that have arrived while a render is still streaming', () => {
    expect(run('once', 10, 3, 5)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('maps times to frames and sizes previews to the window in steps', () => {
    expect(frameAtTime(1.02, 24, 72)).toBe(24);
    expect(frameAtTime(9, 24, 72)).toBe(71);
    expect(previewLongSide(700, 4000, 1)).toBe(768);
    expect(previewLongSide(720, 4000, 1)).toBe(768);
    expect(previewLongSide(700, 4000, 2)).toBe(1408);
    expect(previewLongSide(700, 451, 1)).toBe(451);
    expect(previewLongSide(5000, 8000, 2)).toBe(2048);
  });

  it('keeps the frames of a long clip within the memory budget', () => {
    expect(memoryCappedLongSide(2048, 72, 4000, 3000)).toBe(2048);
    const capped = memoryCappedLongSide(2048, 600, 4000, 3000);
    expect(capped).toBeLessThan(2048);
    const bytes = 600 * capped * capped * 0.75 * 4;
    expect(bytes).toBeLessThanOrEqual(1024 ** 3);
    expect(capped % 64).toBe(0);
  });
});

describe('what a change re-renders', () => {
  const opts = { photoWidth: 1000, photoHeight: 800, margin: 10, partialAllowed: true };
  const snap = (
    clipKey: string,
    regions: Array<[string, string, [number, number, number, number] | null]>,
    longSide = 512,
  ): RenderSnapshot => ({
    clipKey,
    longSide,
    regions: new Map(
      regions.map(([id, signature, b]) => [
        id,
        { signature, bounds: b && { x: b[0], y: b[1], width: b[2], height: b[3] } },
      ]),
    ),
  });
  const left: [number, number, number, number] = [50, 50, 100, 100];
  const right: [number, number, number, number] = [700, 500, 100, 100];

  it('renders everything the first time and when the clip changes', () => {
    const a = snap('3s@24', [['a', '1', left]]);
    expect(planRender(null, a, opts)).toEqual({ kind: 'full' });
    expect(planRender(a, snap('3s@30', [['a', '1', left]]), opts)).toEqual({ kind: 'full' });
  });

  it('renders nothing when nothing that shows changed', () => {
    const a = snap('k', [
      ['a', '1', left],
      ['b', '1', right],
    ]);
    expect(
      planRender(
        a,
        snap('k', [
          ['a', '1', left],
          ['b', '1', right],
        ]),
        opts,
      ),
    ).toEqual({ kind: 'none' });
  });

  it('re-renders only the changed region, in its grown bounds, when the others are far away', () => {
    const before = snap('k', [
      ['a', '1', left],
      ['b', '1', right],
    ]);
    const after = snap('k', [
      ['a', '2', left],
      ['b', '1', right],
    ]);
    expect(planRender(before, after, opts)).toEqual({
      kind: 'partial',
      regionIds: ['a'],
      rects: [{ x: 40, y: 40, width: 120, height: 120 }],
    });
  });

  it('covers where a region was and where it is now, and takes in regions that reach into that area', () => {
    const near: [number, number, number, number] = [165, 60, 40, 40];
    const before = snap('k', [
      ['a', '1', left],
      ['b', '1', right],
      ['c', '1', near],
    ]);
    const after = snap('k', [
      ['a', '2', [60, 60, 50, 50]],
      ['b', '1', right],
      ['c', '1', near],
    ]);
    const plan = planRender(before, after, opts);
    expect(plan).toEqual({
      kind: 'partial',
      regionIds: ['a', 'c'],
      rects: [{ x: 40, y: 40, width: 120, height: 120 }],
    });
  });

  it('a deleted or hidden region re-renders its old area with no region in it', () => {
    const before = snap('k', [
      ['a', '1', left],
      ['b', '1', right],
    ]);
    const after = snap('k', [['b', '1', right]]);
    expect(planRender(before, after, opts)).toEqual({
      kind: 'partial',
      regionIds: [],
      rects: [{ x: 40, y: 40, width: 120, height: 120 }],
    });
  });

  // A skinned arm (wave, raise, the puppet) leaves its mask: the engine reports where it reached.
  const waving = (
    signature: string,
    reach: { x: number; y: number; width: number; height: number } | null,
  ) => ({
    signature,
    bounds: { x: 300, y: 300, width: 100, height: 200 },
    reach,
    leavesMask: true,
  });
  const armUp = { x: 300, y: 150, width: 260, height: 350 };
  const withRegions = (regions: Array<[string, RenderedRegion]>): RenderSnapshot => ({
    clipKey: 'k',
    longSide: 512,
    regions: new Map(regions),
  });
  const box = (b: [number, number, number, number]) => ({ x: b[0], y: b[1], width: b[2], height: b[3] });

  it('a deleted skinned region re-renders everywhere its limb reached, not just its grown mask', () => {
    const before = withRegions([
      ['arm', waving('1', armUp)],
      ['b', { signature: '1', bounds: box(right) }],
    ]);
    const after = withRegions([['b', { signature: '1', bounds: box(right) }]]);
    expect(planRender(before, after, opts)).toEqual({
      kind: 'partial',
      regionIds: [],
      rects: [{ x: 290, y: 149, width: 271, height: 361 }],
    });
  });

  it('re-renders an unchanged skinned region whose limb reaches into a changed area', () => {
    // Far from the arm's mask (300-400 x 300-500 grown by 10) but under the raised arm.
    const under: [number, number, number, number] = [520, 160, 20, 20];
    const before = withRegions([
      ['arm', waving('1', armUp)],
      ['c', { signature: '1', bounds: box(under) }],
      ['b', { signature: '1', bounds: box(right) }],
    ]);
    const after = withRegions([
      ['arm', waving('1', armUp)],
      ['c', { signature: '2', bounds: box(under) }],
      ['b', { signature: '1', bounds: box(right) }],
    ]);
    expect(planRender(before, after, opts)).toEqual({
      kind: 'partial',
      regionIds: ['arm', 'c'],
      rects: [{ x: 510, y: 150, width: 40, height: 40 }],
    });
  });

  it('renders whole when a skinned region changes, or its reach is not known', () => {
    const b = { signature: '1', bounds: box(right) };
    const c = { signature: '1', bounds: box(left) };
    const before = withRegions([
      ['arm', waving('1', armUp)],
      ['b', b],
      ['c', c],
    ]);
    expect(
      planRender(
        before,
        withRegions([
          ['arm', waving('2', null)],
          ['b', b],
          ['c', c],
        ]),
        opts,
      ),
    ).toEqual({ kind: 'full' });
    expect(
      planRender(
        before,
        withRegions([
          ['arm', waving('1', null)],
          ['b', b],
          ['c', { signature: '2', bounds: box(left) }],
        ]),
        opts,
      ),
    ).toEqual({ kind: 'full' });
  });

  it('renders whole when the engine cannot compose (diffusion) or every region is involved', () => {
    const before = snap('k', [['a', '1', left]]);
    const after = snap('k', [['a', '2', left]]);
    expect(planRender(before, after, { ...opts, partialAllowed: false })).toEqual({ kind: 'full' });
    expect(planRender(before, after, opts)).toEqual({ kind: 'full' });
  });

  it('re-renders nothing for a window resized within the frames it has, and all for a larger one', () => {
    const both = (a: string, longSide: number) =>
      snap(
        'k',
        [
          ['a', a, left],
          ['b', '1', right],
        ],
        longSide,
      );
    const a = both('1', 1024);
    expect(planRender(a, both('1', 768), opts)).toEqual({ kind: 'none' });
    expect(planRender(a, both('1', 1024), opts)).toEqual({ kind: 'none' });
    expect(planRender(a, both('1', 1280), opts)).toEqual({ kind: 'full' });
    // An edit after the window shrank renders only its region, at the size of the frames it composes into.
    const edited = planRender(a, both('2', 768), opts);
    expect(edited.kind).toBe('partial');
    expect(renderLongSide(edited, a, 768)).toBe(1024);
    expect(renderLongSide({ kind: 'full' }, a, 768)).toBe(768);
    expect(renderLongSide(edited, null, 768)).toBe(768);
  });

  it('a pose keyframe changes nothing the built-in engine draws, and re-renders with diffusion', () => {
    const motion = { prompt: 'sway', strength: 0.6 };
    const still = { keyframes: [] };
    const moved = { keyframes: [{ time: 1 }] };
    expect(regionSignature(3, motion, moved, 'motion')).toBe(regionSignature(3, motion, still, 'motion'));
    expect(regionSignature(3, motion, moved, 'diffusion')).not.toBe(
      regionSignature(3, motion, still, 'diffusion'),
    );
    // The mask and the motion always count.
    expect(regionSignature(4, motion, still, 'motion')).not.toBe(regionSignature(3, motion, still, 'motion'));
    const stronger = { ...motion, strength: 1 };
    expect(regionSignature(3, stronger, still, 'motion')).not.toBe(
      regionSignature(3, motion, still, 'motion'),
    );
    const before = snap('k', [['a', regionSignature(3, motion, still, 'motion'), left]]);
    const after = snap('k', [['a', regionSignature(3, motion, moved, 'motion'), left]]);
    expect(planRender(before, after, opts)).toEqual({ kind: 'none' });
  });

  it('a pose keyframe re-renders a pose puppet with the built-in engine (issue 12.7)', () => {
    const motion = { prompt: 'pose', strength: 1 };
    const still = { keyframes: [] };
    const moved = { keyframes: [{ time: 1 }] };
    expect(regionSignature(3, motion, moved, 'motion', true)).not.toBe(
      regionSignature(3, motion, still, 'motion', true),
    );
    const before = snap('k', [['a', regionSignature(3, motion, still, 'motion', true), left]]);
    const after = snap('k', [['a', regionSignature(3, motion, moved, 'motion', true), left]]);
    expect(planRender(before, after, opts).kind).not.toBe('none');
  });

  it('lets the render under way finish when an edit changes nothing it draws, and starts over otherwise', () => {
    const motion = { prompt: 'sway', strength: 0.6 };
    const underWay = snap('k', [['a', regionSignature(3, motion, { keyframes: [] }, 'motion'), left]], 1024);
    // A pose keyframe on a region the built-in engine sways: its render goes on.
    const posed = snap('k', [
      ['a', regionSignature(3, motion, { keyframes: [{ time: 1 }] }, 'motion'), left],
    ]);
    expect(renderUnderWayServes(underWay, posed, opts)).toBe(true);
    // A window shrunk meanwhile shows the frames it makes scaled down.
    expect(renderUnderWayServes(underWay, { ...posed, longSide: 768 }, opts)).toBe(true);
    // Its strength, a window grown past its size, another clip length: they need another render.
    const stronger = regionSignature(3, { ...motion, strength: 1 }, { keyframes: [] }, 'motion');
    expect(renderUnderWayServes(underWay, snap('k', [['a', stronger, left]], 1024), opts)).toBe(false);
    expect(renderUnderWayServes(underWay, { ...posed, longSide: 1280 }, opts)).toBe(false);
    expect(renderUnderWayServes(underWay, { ...posed, clipKey: 'other' }, opts)).toBe(false);
    expect(renderUnderWayServes(null, posed, opts)).toBe(false);
  });

  it('merges overlapping areas', () => {
    expect(
      mergeOverlapping([
        { x: 0, y: 0, width: 10, height: 10 },
        { x: 5, y: 5, width: 10, height: 10 },
        { x: 50, y: 50, width: 1, height: 1 },
      ]),
    ).toEqual([
      { x: 0, y: 0, width: 15, height: 15 },
      { x: 50, y: 50, width: 1, height: 1 },
    ]);
  });
});
