// Memory on a big photo (issue 10, point 6): a 3640x2400 render once took 2.9 GB of resident memory. The
// storm photo is enlarged to 3640x2400 with sharp (made here, never committed), a sky-sized fluid region
// (drift, the top 55%) and a layer region (bob, an ellipse in the field) are animated for 3 s at 24 fps
// through the motion engine on its workers and exported to an MP4 (H.264) the way `stir animate` does.
// The peak is the child process's own high-water resident set (VmHWM: workers included, ffmpeg not), so
// the rest of the benchmark run does not count. Run through bench/index.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createClipExporter } from '../src/engine/export/index.js';
import type { RgbaImage } from '../src/engine/image/types.js';
import { createMotionEngine } from '../src/engine/motion/index.js';
import type { JobControl, RegionSpec } from '../src/engine/render/types.js';
import type { BenchRow, BenchSuite } from './harness.js';

const STORM = fileURLToPath(new URL('../examples/photos/hard/storm.jpg', import.meta.url));
const WIDTH = 3640;
const HEIGHT = 2400;
const TIMING = { seconds: 3, fps: 24, loop: 'loop' } as const;
const CHILD_FLAG = 'STIR_BENCH_BIG_PHOTO_CHILD';

/** The process's peak resident set in MB (VmHWM: the child's own, see bench/diffusion.ts). */
function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function bigPhoto(): Promise<RgbaImage> {
  const { data, info } = await sharp(STORM)
    .resize(WIDTH, HEIGHT, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
  };
}

function regions(width: number, height: number): RegionSpec[] {
  const sky = new Uint8Array(width * height);
  sky.fill(255, 0, Math.round(0.55 * height) * width);
  const boat = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x - 0.5 * width) / (0.12 * width);
      const v = (y - 0.78 * height) / (0.1 * height);
      if (u * u + v * v <= 1) boat[y * width + x] = 255;
    }
  }
  const region = (id: string, data: Uint8Array, prompt: string): RegionSpec => ({
    id,
    mask: { width, height, data },
    prompt,
    strength: 1.5,
    direction: null,
    seed: 1,
    start: 0,
    end: null,
    pose: null,
  });
  return [region('sky', sky, 'drift'), region('boat', boat, 'bob')];
}

/** In the child: the photo, the plan, every frame rendered and encoded; prints its peak and timings. */
async function memoryChild(): Promise<void> {
  const control: JobControl = { signal: new AbortController().signal, progress: () => undefined };
  const photo = await bigPhoto();
  const before = peakRssMb();
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'stir-bench-big-'));
  try {
    const animation = await createMotionEngine().prepare(
      { photo, regions: regions(WIDTH, HEIGHT), timing: TIMING, size: { width: WIDTH, height: HEIGHT } },
      control,
    );
    try {
      await createClipExporter().export(
        animation,
        { format: 'mp4-h264', path: join(dir, 'big.mp4'), overwrite: true },
        control,
      );
    } finally {
      await animation.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ before, peak: peakRssMb(), seconds }));
}

export const benchBigPhoto: BenchSuite = async () => {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawnSync(process.execPath, ['--import', tsx, fileURLToPath(import.meta.url)], {
    env: { ...process.env, [CHILD_FLAG]: '1' },
    encoding: 'utf8',
    timeout: 1_800_000,
  });
  let result: { before: number; peak: number; seconds: number };
  try {
    result = JSON.parse(child.stdout) as typeof result;
  } catch {
    console.error('bench/big-photo: the memory child failed', child.stderr);
    return [];
  }
  const rows: BenchRow[] = [
    {
      group: 'big',
      name: `render ${WIDTH}x${HEIGHT} peak RSS (drift sky + bob layer, 3 s at 24 fps, to MP4)`,
      value: result.peak,
      unit: 'MB',
      target: '< 1.5 GB',
      note: `${(result.peak - result.before).toFixed(0)} MB above the process with the photo decoded; ${result.seconds.toFixed(0)} s`,
    },
  ];
  return rows;
};

if (process.env[CHILD_FLAG] === '1') await memoryChild();
