// How close the still background of a delivered MP4 stays to the photo (issue 10, point 6), for the
// integration test and the export benchmark. 4:2:0 keeps colour at half resolution, so no H.264 setting
// brings a photo's fine colour detail back: a lossless 4:2:0 encode caps rocket.jpg at 32 dB RGB. What the
// encoder decides is the rest, so two figures are measured on the still area (outside the region's motion
// area grown by 2% of the long side), each the lowest over every decoded frame:
// - luma: the decoded Y' plane against the photo's Y' (the same BT.709 limited-range conversion, no
//   compression), which 4:2:0 leaves at full resolution, so only the encoder's quantisation shows;
// - RGB: against the photo, next to the ceiling, the same measure on a lossless 4:2:0 encode.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { dilatedRegions } from '../../../src/engine/eval/metrics.js';
import { FORMAT_SPECS } from '../../../src/engine/export/formats.js';
import { createClipExporter } from '../../../src/engine/export/index.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import { createMotionEngine, type MotionAnimation } from '../../../src/engine/motion/index.js';
import type { JobControl } from '../../../src/engine/render/types.js';
import { loadPhoto, type PhotoName } from '../../helpers/photos.js';
import { cropTo, decodeFrame, decodeFrames, decodeLuma, probe, psnr, tool } from './decode.js';
import { ellipseMask } from './test-animation.js';
import { regionSpec } from '../../helpers/region-spec.js';

const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

export interface StillFidelity {
  photo: PhotoName;
  width: number;
  height: number;
  frames: number;
  /** Lowest over the frames: PSNR (dB) of the still area's Y' against the photo's. */
  luma: number;
  /** Lowest over the frames: RGB PSNR (dB) of the still area against the photo. */
  rgb: number;
  /** RGB PSNR (dB) of the still area of a lossless 4:2:0 encode: what 4:2:0 alone allows. */
  ceiling: number;
}

/** The MP4 colour conversion and tags, as the export writes them (formats.ts). */
function h264Filters(width: number, height: number): string[] {
  const setup = { width, height, fps: 24, input: 'rgba', alpha: false, quality: 75, plays: 0 } as const;
  return FORMAT_SPECS['mp4-h264'].filters(setup);
}
const TAGS = [
  '-colorspace',
  'bt709',
  '-color_primaries',
  'bt709',
  '-color_trc',
  'bt709',
  '-color_range',
  'tv',
];

/** Runs ffmpeg on one RGBA frame fed through stdin; resolves with stdout. */
async function ffmpegOnFrame(image: RgbaImage, args: string[]): Promise<Buffer> {
  const child = spawn(await tool('ffmpeg'), [
    ...[
      '-v',
      'error',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgba',
      '-s',
      `${image.width}x${image.height}`,
      '-i',
      'pipe:0',
    ],
    ...args,
  ]);
  const out: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  child.stdin.end(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength));
  if ((await exited) !== 0) throw new Error(`ffmpeg failed on ${args.join(' ')}`);
  return Buffer.concat(out);
}

/** The photo's Y' plane, converted as the export converts it, with no compression. */
async function photoLuma(image: RgbaImage): Promise<Uint8Array> {
  const filters = h264Filters(image.width, image.height).join(',');
  const planes = await ffmpegOnFrame(image, [
    '-vf',
    filters,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'yuv420p',
    'pipe:1',
  ]);
  return new Uint8Array(planes.subarray(0, image.width * image.height));
}

/** The photo through a lossless 4:2:0 H.264 encode, decoded back as the delivered clip is. */
async function losslessRoundTrip(image: RgbaImage, dir: string): Promise<RgbaImage> {
  const path = join(dir, 'lossless.mp4');
  const filters = h264Filters(image.width, image.height).join(',');
  await ffmpegOnFrame(image, ['-vf', filters, '-c:v', 'libx264', '-qp', '0', ...TAGS, '-y', path]);
  return decodeFrame(path);
}

function lumaPsnr(expected: Uint8Array, actual: Uint8Array, where: (pixel: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let p = 0; p < expected.length; p++) {
    if (!where(p)) continue;
    sum += (expected[p]! - actual[p]!) ** 2;
    count++;
  }
  return sum === 0 ? Infinity : 10 * Math.log10((255 * 255 * count) / sum);
}

/**
 * Renders `name` (examples/photos) with a flow on a central ellipse, exports it as an MP4 at the default
 * quality into `dir`, and measures its still area.
 */
export async function stillFidelity(
  name: PhotoName,
  timing: { seconds: number; fps: number },
  dir: string,
): Promise<StillFidelity> {
  const photo = (await loadPhoto(name)).image;
  const { width, height } = photo;
  const region = regionSpec({
    id: 'middle',
    mask: ellipseMask(width, height),
    prompt: 'flow',
    strength: 2,
    seed: 1,
  });
  const animation = (await createMotionEngine({ workers: 0 }).prepare(
    { photo, regions: [region], timing: { ...timing, loop: 'loop' }, size: { width, height } },
    control(),
  )) as MotionAnimation;
  try {
    const moving = dilatedRegions(
      animation.regions.map((r) => r.motionArea),
      width,
      height,
    );
    const path = join(dir, `${name}.mp4`);
    await createClipExporter().export(animation, { format: 'mp4-h264', path, overwrite: true }, control());
    const facts = await probe(path);
    // 4:2:0 needs even sides: the export crops an odd last column or row.
    const reference = cropTo(photo, facts.width, facts.height);
    const still = (p: number) => moving[Math.floor(p / facts.width) * width + (p % facts.width)] === 0;
    const referenceLuma = await photoLuma(reference);
    let luma = Infinity;
    let frames = 0;
    for await (const plane of decodeLuma(path)) {
      luma = Math.min(luma, lumaPsnr(referenceLuma, plane, still));
      frames++;
    }
    let rgb = Infinity;
    for await (const frame of decodeFrames(path)) rgb = Math.min(rgb, psnr(reference, frame, still));
    const ceiling = psnr(reference, await losslessRoundTrip(reference, dir), still);
    return { photo: name, width: facts.width, height: facts.height, frames, luma, rgb, ceiling };
  } finally {
    await animation.dispose();
  }
}
