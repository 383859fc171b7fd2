import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BackgroundStability,
  dilatedRegions,
  formatEvalTable,
  i1Mse,
  loopSeam,
  MaskCorrespondence,
  meanFlowInside,
  meanFlowWhereChanged,
  PSNR_IDENTICAL,
  rasterize,
  runEval,
  ssim,
  strengthFit,
} from '../../../src/engine/eval/index.js';
import type { FlowField, GreyImage } from '../../../src/engine/flow/index.js';
import { createMotionEngine } from '../../../src/engine/motion/index.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { photoPath } from '../../helpers/photos.js';

function solid(width: number, height: number, value: number): RgbaImage {
  const data = new Uint8Array(width * height * 4).fill(value);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width, height, data };
}

describe('eval metrics', () => {
  it('I1-MSE is the mean squared colour error', () => {
    expect(i1Mse(solid(4, 4, 10), solid(4, 4, 10))).toBe(0);
    expect(i1Mse(solid(4, 4, 10), solid(4, 4, 13))).toBe(9);
  });

  it('dilates regions by 2% of the long side', () => {
    const mask = rasterize(
      {
        kind: 'polygon',
        points: [
          [0.4, 0.4],
          [0.6, 0.4],
          [0.6, 0.6],
          [0.4, 0.6],
        ],
      },
      200,
      100,
    );
    const band = dilatedRegions([mask], 200, 100, 0.02); // 4 px
    expect(band[50 * 200 + 100]).toBe(1);
    expect(band[50 * 200 + 123]).toBe(1); // 3 px right of the edge at x = 120
    expect(band[50 * 200 + 125]).toBe(0);
  });

  it('background stability is PSNR outside the regions', () => {
    const inside = new Uint8Array(16);
    const stability = new BackgroundStability(solid(4, 4, 100), inside);
    stability.add(solid(4, 4, 100));
    expect(stability.psnr()).toBe(PSNR_IDENTICAL);
    stability.add(solid(4, 4, 110));
    // MSE = 50 over both frames.
    expect(stability.psnr()).toBeCloseTo(10 * Math.log10((255 * 255) / 50), 6);
    expect(new BackgroundStability(solid(2, 2, 0), new Uint8Array(4).fill(1)).psnr()).toBeNull();
  });

  it('mask correspondence is the share of motion energy inside the dilated regions', () => {
    const flow: FlowField = { width: 2, height: 1, u: new Float32Array([3, 1]), v: new Float32Array([0, 0]) };
    const measure = new MaskCorrespondence(new Uint8Array([1, 0]));
    measure.add(flow);
    expect(measure.value()).toBeCloseTo(0.9, 6);
    expect(meanFlowInside(flow, new Uint8Array([1, 1]))).toBe(2);
  });

  it('measures a travel on what moves: flow over the pixels of its area that changed', () => {
    const flow: FlowField = {
      width: 4,
      height: 1,
      u: new Float32Array([5, 4, 0.2, 9]),
      v: new Float32Array([0, 3, 0, 0]),
    };
    const grey = (values: number[]): GreyImage => ({ width: 4, height: 1, data: Float32Array.from(values) });
    const area = new Uint8Array([1, 1, 1, 0]);
    // Pixel 2 did not change (the still background behind); pixel 3 is outside the area.
    expect(meanFlowWhereChanged(flow, area, grey([0, 0, 50, 0]), grey([40, 90, 50, 80]))).toBe(5);
    expect(meanFlowWhereChanged(flow, area, grey([1, 1, 1, 1]), grey([1, 1, 1, 1]))).toBeNull();
  });

  it('runs a travel scene against its motion area, the mask swept along its path', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'stir-eval-'));
    try {
      const report = await runEval({
        photos: [photoPath('rocket.jpg')],
        outDir,
        engine: createMotionEngine({ workers: 0 }),
        longSide: 160,
        seconds: 1,
        fps: 12,
        sweepStrengths: [2, 4],
        sweepSeconds: 1,
      });
      const row = report.rows.find((r) => r.regions.some((region) => region.prompt === 'launch'))!;
      expect(row.loop).toBe('once');
      // The rocket leaves its own band, yet nothing moves or changes outside the swept area's.
      expect(row.maskCorrespondence).toBeGreaterThan(0.99);
      expect(row.backgroundPsnr).toBe(PSNR_IDENTICAL);
      expect(row.strengthSlope).toBeGreaterThan(0.8);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it('fits strength through the origin', () => {
    expect(strengthFit([1, 2, 4, 8], [1.1, 2.2, 4.4, 8.8])).toEqual({
      slope: expect.closeTo(1.1, 9),
      r2: expect.closeTo(1, 9),
    });
    const noisy = strengthFit([1, 2, 4, 8], [2, 1, 5, 6]);
    expect(noisy.r2).toBeLessThan(0.95);
  });

  it('SSIM is 1 for identical images and lower for different ones', () => {
    const a: GreyImage = {
      width: 16,
      height: 16,
      data: Float32Array.from({ length: 256 }, (_, i) => (i * 37) % 255),
    };
    const b: GreyImage = {
      width: 16,
      height: 16,
      data: Float32Array.from({ length: 256 }, (_, i) => (i * 91) % 255),
    };
    expect(ssim(a, a)).toBeCloseTo(1, 9);
    expect(ssim(a, b)).toBeLessThan(0.5);
  });

  it('loop seam compares the jump back to the first frame with the steps between frames', () => {
    expect(loopSeam(solid(2, 2, 12), solid(2, 2, 10), [2, 2])).toBe(1);
    expect(loopSeam(solid(2, 2, 30), solid(2, 2, 10), [2, 2])).toBe(10);
  });

  it('runs an eval on a photo, writes eval.json and prints a table', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'stir-eval-'));
    try {
      const report = await runEval({
        photos: [photoPath('grass.png')],
        outDir,
        engine: createMotionEngine({ workers: 0 }),
        longSide: 128,
        seconds: 1,
        fps: 12,
        sweepStrengths: [2, 4],
        sweepSeconds: 1,
      });
      expect(report.rows).toHaveLength(1);
      const row = report.rows[0]!;
      expect(row.i1Mse).toBe(0);
      expect(row.backgroundPsnr).toBe(PSNR_IDENTICAL);
      expect(row.maskCorrespondence).toBeGreaterThan(0.9);
      expect(row.strengthSlope).toBeGreaterThan(0.7);
      expect(row.sweep.map((p) => p.field)).toEqual([expect.closeTo(2, 1), expect.closeTo(4, 1)]);
      const saved = JSON.parse(await readFile(join(outDir, 'eval.json'), 'utf8')) as { rows: unknown[] };
      expect(saved.rows).toHaveLength(1);
      const table = formatEvalTable(report);
      expect(table).toContain(row.scene);
      expect(table).toContain('I1-MSE');
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
