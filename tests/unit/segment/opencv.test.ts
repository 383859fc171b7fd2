// The shared OpenCV.js loader: loads once, gives a ready module, reports its version, and leaves the
// process's error handling as it found it.
import { describe, expect, it } from 'vitest';
import { loadOpenCv, openCvVersion } from '../../../src/engine/segment/opencv.js';

describe('loadOpenCv', () => {
  // First in this file (each test file runs in its own process), so this is the load that happens.
  it('removes the process-wide error handlers the Emscripten runtime installs while loading', async () => {
    const before = {
      rejection: process.listeners('unhandledRejection'),
      exception: process.listeners('uncaughtException'),
    };
    await loadOpenCv();
    expect(process.listeners('unhandledRejection')).toEqual(before.rejection);
    expect(process.listeners('uncaughtException')).toEqual(before.exception);
  });

  it('gives a ready module, the same one on every call, that can compute', async () => {
    const [a, b] = await Promise.all([loadOpenCv(), loadOpenCv()]);
    expect(a).toBe(b);
    const mat = new a.Mat(2, 3, a.CV_8UC1, new a.Scalar(7));
    try {
      expect([mat.rows, mat.cols]).toEqual([2, 3]);
      expect(Array.from(mat.data)).toEqual([7, 7, 7, 7, 7, 7]);
    } finally {
      mat.delete();
    }
  });

  it('reports OpenCV 4.12 (the pinned @techstark/opencv-js)', async () => {
    expect(await openCvVersion()).toMatch(/^4\.12(\.\d+)?$/);
  });
});
