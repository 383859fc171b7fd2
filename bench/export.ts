// Export benchmarks (issue 6, point 6; issue 2): the time to export a 3 s 1080p clip with each preset,
// and a 3 s 24 fps MP4 at 1024x768. The frames come from the built-in motion engine (a sway and a flow, on
// worker threads), so each row is what a person waits for: rendering and encoding, running side by side.
// The frames' own cost is a row too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ffmpegWith } from '../src/engine/export/ffmpeg-locate.js';
import { FORMAT_SPECS } from '../src/engine/export/formats.js';
import { createClipExporter } from '../src/engine/export/index.js';
import { fitLongSide, type RgbaImage } from '../src/engine/image/types.js';
import { EXPORT_FORMAT_INFO, EXPORT_PRESETS, StartExportParamsSchema } from '../src/shared/index.js';
import { photoPath } from '../tests/helpers/photos.js';
import { ellipseMask } from '../tests/integration/export/test-animation.js';
import { createMotionEngine } from '../src/engine/motion/index.js';
import type { Animation } from '../src/engine/render/types.js';
import { timeMedian, type BenchRow, type BenchSuite } from './harness.js';

const SECONDS = 3;
const DEFAULT_FPS = 24;

/** rocket.jpg filled to exactly width x height (cover), as RGBA. */
async function photoAt(width: number, height: number): Promise<RgbaImage> {
  const { data, info } = await sharp(photoPath('rocket.jpg'))
    .resize(width, height, { fit: 'cover' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

const control = () => ({ signal: new AbortController().signal, progress: () => undefined });

/** The photo with two regions, a sway on a central ellipse and a flow over the band below it. */
async function clipOf(
  photo: RgbaImage,
  fps: number,
): Promise<{ animation: Animation; mask: ReturnType<typeof ellipseMask> }> {
  const mask = ellipseMask(photo.width, photo.height);
  const band = new Uint8Array(photo.width * photo.height);
  band.fill(255, Math.floor(photo.height * 0.85) * photo.width);
  const region = (id: string, data: Uint8Array, prompt: string) => ({
    id,
    mask: { width: photo.width, height: photo.height, data },
    prompt,
    strength: 2,
    direction: null,
    seed: 1,
    start: 0,
    end: null,
    pose: null,
  });
  const animation = await createMotionEngine().prepare(
    {
      photo,
      regions: [region('sway', mask.data, 'sway'), region('flow', band, 'flow')],
      timing: { seconds: SECONDS, fps, loop: 'loop' },
      size: { width: photo.width, height: photo.height },
    },
    control(),
  );
  return { animation, mask };
}

export const benchExport: BenchSuite = async () => {
  const rows: BenchRow[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'stir-bench-export-'));
  try {
    const exporter = createClipExporter();
    const hd = await photoAt(1920, 1080);

    // What the frame source alone costs, to read the export rows against.
    const source = await clipOf(hd, DEFAULT_FPS);
    const sourceMs = await timeMedian(
      async () => {
        for await (const _frame of source.animation.frames()) void _frame;
      },
      1,
      0,
    );
    rows.push({
      group: 'export',
      name: `motion engine frames alone (2 regions), ${SECONDS} s at ${DEFAULT_FPS} fps, 1920x1080`,
      value: sourceMs / 1000,
      unit: 's',
      note: 'included in every export row below',
    });
    await source.animation.dispose();

    for (const preset of EXPORT_PRESETS) {
      const params = StartExportParamsSchema.parse({ docId: 'bench', preset: preset.id });
      const fps = params.fps ?? DEFAULT_FPS;
      const size = fitLongSide(hd.width, hd.height, params.longSide);
      const photo = size.width === hd.width ? hd : await photoAt(size.width, size.height);
      const { animation, mask } = await clipOf(photo, fps);
      const ffmpeg = await ffmpegWith(FORMAT_SPECS[params.format].needs, params.format);
      let bytes = 0;
      let frames = 0;
      const ms = await timeMedian(
        async () => {
          const written = await exporter.export(
            animation,
            {
              format: params.format,
              path: join(dir, `${preset.id}${EXPORT_FORMAT_INFO[params.format].extension}`),
              overwrite: true,
              quality: params.quality,
              loops: params.loops,
              pingPong: params.pingPong,
              matte: params.matte,
              mattes: [mask],
            },
            control(),
          );
          bytes = written.bytes;
          frames = written.frameCount ?? animation.frameCount;
        },
        1,
        0,
      );
      rows.push({
        group: 'export',
        name: `"${preset.name}", ${SECONDS} s 1080p source -> ${size.width}x${size.height} at ${fps} fps`,
        value: ms / 1000,
        unit: 's',
        note: `${frames} frames, ${(bytes / 1e6).toFixed(1)} MB; ffmpeg ${ffmpeg.version} (${ffmpeg.source})`,
      });
      await animation.dispose();
    }

    // Issue 2: export time of a 3 s clip at 24 fps, at the size its render row uses.
    const xga = await clipOf(await photoAt(1024, 768), DEFAULT_FPS);
    const mp4Ms = await timeMedian(
      () =>
        exporter.export(
          xga.animation,
          { format: 'mp4-h264', path: join(dir, 'issue2.mp4'), overwrite: true },
          control(),
        ),
      1,
      0,
    );
    await xga.animation.dispose();
    rows.push({
      group: 'export',
      name: `MP4 (H.264), ${SECONDS} s at ${DEFAULT_FPS} fps, 1024x768, render + encode (issue 2)`,
      value: mp4Ms / 1000,
      unit: 's',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
};
