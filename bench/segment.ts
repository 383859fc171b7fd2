// Click -> mask time of the classic segmenter (issue 2: "click -> mask time at 1024 px"). The example
// photos are at most 640 px, so the cup photo is scaled up to 1024 px (and to 4096 px, to see what the
// full-size output costs). "first click" includes the per-photo work (working image, superpixels, guide),
// "next click" reuses it, as clicking around one photo does; the one-time OpenCV.js start is measured
// on its own.
import { fileURLToPath } from 'node:url';
import { decodePhoto } from '../src/engine/image/decode.js';
import { resizeRgba } from '../src/engine/image/encode.js';
import type { RgbaImage } from '../src/engine/image/types.js';
import { ClassicSegmenter } from '../src/engine/segment/classic/classic-segmenter.js';
import { loadOpenCv } from '../src/engine/segment/opencv.js';
import type { Click } from '../src/shared/index.js';
import { timeMedian, type BenchRow, type BenchSuite } from './harness.js';

const PHOTO = fileURLToPath(new URL('../examples/photos/coffee.png', import.meta.url));

async function scaled(longSide: number): Promise<RgbaImage> {
  const { image } = await decodePhoto({ kind: 'path', path: PHOTO });
  const scale = longSide / Math.max(image.width, image.height);
  return resizeRgba(image, Math.round(image.width * scale), Math.round(image.height * scale));
}

export const benchSegment: BenchSuite = async () => {
  const rows: BenchRow[] = [];
  const started = performance.now();
  await loadOpenCv();
  rows.push({
    group: 'segment',
    name: 'OpenCV.js start (once per process)',
    value: performance.now() - started,
    unit: 'ms',
  });

  for (const longSide of [1024, 4096]) {
    const photo = await scaled(longSide);
    const k = longSide / 600; // click positions given on the 600x400 original
    const cup: Click[] = [{ x: 300 * k, y: 230 * k, positive: true }];
    const rim: Click[] = [{ x: 190 * k, y: 110 * k, positive: true }];
    let round = 0;
    const first = await timeMedian(async () => {
      const segmenter = new ClassicSegmenter();
      await segmenter.segment(photo, {
        clicks: cup,
        box: null,
        previous: null,
        photoKey: `bench-${round++}`,
      });
    }, 3);
    const segmenter = new ClassicSegmenter();
    const warm = await segmenter.segment(photo, {
      clicks: cup,
      box: null,
      previous: null,
      photoKey: 'bench',
    });
    // Each next click a pixel further along the rim: the segmenter keeps the last clicks' ranked answers
    // (for Tab), and the same click again would only measure that.
    let shift = 0;
    const next = await timeMedian(() =>
      segmenter.segment(photo, {
        clicks: rim.map((c) => ({ ...c, x: c.x + shift++ })),
        box: null,
        previous: null,
        photoKey: 'bench',
      }),
    );
    const refine = await timeMedian(() =>
      segmenter.segment(photo, {
        clicks: [...cup, { x: 130 * k, y: 250 * k, positive: false }],
        box: null,
        previous: warm.mask,
        photoKey: 'bench',
      }),
    );
    const size = `${photo.width}x${photo.height}`;
    rows.push(
      {
        group: 'segment',
        name: `classic click -> mask, first click on a photo, ${size}`,
        value: first,
        unit: 'ms',
      },
      { group: 'segment', name: `classic click -> mask, next click, ${size}`, value: next, unit: 'ms' },
      { group: 'segment', name: `classic refine (negative click), ${size}`, value: refine, unit: 'ms' },
    );
  }
  return rows;
};
