// Reading exports back for tests: ffprobe for the stream's facts, ffmpeg (or sharp, for animated WebP,
// which Debian's ffmpeg 5.1 cannot decode) for the first frame as RGBA.
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { findOnPath } from '../../../src/engine/export/ffmpeg-locate.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';

const run = promisify(execFile);

// libvips caches decoded images by file name and by buffer address; a test that rewrites a file (or gets a
// reused buffer) would read a stale image.
sharp.cache(false);

export async function tool(name: 'ffprobe' | 'ffmpeg'): Promise<string> {
  const override = name === 'ffprobe' ? process.env.STIR_FFPROBE : undefined;
  const path = override ?? (await findOnPath(name));
  if (!path) throw new Error(`${name} is needed to check exports: install ffmpeg (apt-get install ffmpeg)`);
  return path;
}

export interface StreamFacts {
  codec: string;
  codecTag: string;
  pixelFormat: string;
  width: number;
  height: number;
  frameCount: number;
  /** Frames per second from the frame count and the stream's duration. */
  fps: number;
  colorSpace: string | null;
  /** VP9 in WebM keeps its alpha in a side stream that the container flags. */
  alphaMode: boolean;
}

interface ProbeJson {
  streams: Array<Record<string, unknown> & { tags?: Record<string, string> }>;
  format: { duration?: string };
}

function fraction(value: unknown): number {
  const [num, den] = String(value).split('/').map(Number);
  return den ? (num ?? 0) / den : (num ?? 0);
}

export async function probe(path: string): Promise<StreamFacts> {
  const { stdout } = await run(await tool('ffprobe'), [
    ...['-v', 'error', '-count_frames', '-select_streams', 'v:0'],
    ...['-show_entries', 'stream:stream_tags:format=duration', '-of', 'json', path],
  ]);
  const json = JSON.parse(stdout) as ProbeJson;
  const stream = json.streams[0];
  if (!stream) throw new Error(`${path} has no video stream`);
  const frameCount = Number(stream.nb_read_frames);
  const duration = Number(stream.duration ?? json.format.duration);
  const tags = Object.fromEntries(Object.entries(stream.tags ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    codec: String(stream.codec_name),
    codecTag: String(stream.codec_tag_string),
    pixelFormat: String(stream.pix_fmt),
    width: Number(stream.width),
    height: Number(stream.height),
    frameCount,
    fps: Number.isFinite(duration) && duration > 0 ? frameCount / duration : fraction(stream.avg_frame_rate),
    colorSpace: typeof stream.color_space === 'string' ? stream.color_space : null,
    alphaMode: tags.alpha_mode === '1',
  };
}

/** Frame `index` of a clip (or the first PNG of a sequence folder) as RGBA. */
export async function decodeFrame(path: string, index = 0): Promise<RgbaImage> {
  if (path.endsWith('.webp')) {
    const { data, info } = await sharp(path, { page: index })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data) };
  }
  // Only libvpx's own decoder reads VP9's alpha side stream; ffmpeg's native one drops it.
  const decoder = path.endsWith('.webm') ? ['-c:v', 'libvpx-vp9'] : [];
  const { stdout: facts } = await run(await tool('ffprobe'), [
    ...[
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height',
      '-of',
      'csv=p=0',
      path,
    ],
  ]);
  const [width, height] = facts.trim().split(',').map(Number);
  const { stdout } = await run(
    await tool('ffmpeg'),
    [
      ...['-v', 'error', ...decoder, '-i', path],
      ...['-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
  );
  if (!width || !height || stdout.length !== width * height * 4) {
    throw new Error(`decoded ${stdout.length} bytes from ${path}, expected ${width}x${height} RGBA`);
  }
  return { width, height, data: new Uint8Array(stdout) };
}

/** Every frame of a clip as RGBA, in order, decoded by ffmpeg as a stream (one frame held at a time). */
export async function* decodeFrames(path: string): AsyncGenerator<RgbaImage> {
  const { width, height } = await probe(path);
  for await (const data of rawFrames(path, 'rgba', width * height * 4)) yield { width, height, data };
}

/**
 * Every frame's luma plane (Y', as coded: BT.709, limited range), in order. The clip's own yuv420p is
 * passed through with no conversion, so this is what the encoder kept of the brightness.
 */
export async function* decodeLuma(path: string): AsyncGenerator<Uint8Array> {
  const { width, height, pixelFormat } = await probe(path);
  if (pixelFormat !== 'yuv420p') throw new Error(`${path} is ${pixelFormat}, not yuv420p`);
  const frameBytes = width * height + 2 * ((width >> 1) * (height >> 1));
  for await (const data of rawFrames(path, 'yuv420p', frameBytes)) yield data.subarray(0, width * height);
}

async function* rawFrames(path: string, pixelFormat: string, frameBytes: number): AsyncGenerator<Uint8Array> {
  const child = spawn(await tool('ffmpeg'), [
    ...['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', pixelFormat, 'pipe:1'],
  ]);
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  // Chunks are joined only once a whole frame has arrived (joining on every chunk is quadratic).
  let chunks: Buffer[] = [];
  let held = 0;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    held += chunk.length;
    if (held < frameBytes) continue;
    let joined = Buffer.concat(chunks);
    while (joined.length >= frameBytes) {
      yield new Uint8Array(joined.subarray(0, frameBytes));
      joined = joined.subarray(frameBytes);
    }
    chunks = [Buffer.from(joined)];
    held = joined.length;
  }
  if ((await exited) !== 0 || held !== 0) throw new Error(`ffmpeg could not decode ${path}`);
}

/** The numbered PNGs of a sequence folder, in order. */
export async function sequenceFrames(folder: string): Promise<string[]> {
  return (await readdir(folder))
    .filter((name) => name.endsWith('.png'))
    .sort()
    .map((name) => join(folder, name));
}

export async function readSidecar(folder: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(folder, 'sequence.json'), 'utf8')) as Record<string, unknown>;
}

/** The reference cropped to the decoded size (H.264 and H.265 drop an odd last column/row). */
export function cropTo(image: RgbaImage, width: number, height: number): RgbaImage {
  if (image.width === width && image.height === height) return image;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    data.set(image.data.subarray(y * image.width * 4, (y * image.width + width) * 4), y * width * 4);
  }
  return { width, height, data };
}

/**
 * PSNR of the colour channels in dB (Infinity when equal). With `where`, only pixels whose weight is
 * above zero count: colours under full transparency are not part of an image (encoders may change them).
 */
export function psnr(expected: RgbaImage, actual: RgbaImage, where?: (pixel: number) => boolean): number {
  if (expected.width !== actual.width || expected.height !== actual.height) {
    throw new Error(`sizes differ: ${expected.width}x${expected.height} vs ${actual.width}x${actual.height}`);
  }
  let sum = 0;
  let count = 0;
  for (let p = 0; p < expected.width * expected.height; p++) {
    if (where && !where(p)) continue;
    for (let c = 0; c < 3; c++) {
      const d = (expected.data[p * 4 + c] ?? 0) - (actual.data[p * 4 + c] ?? 0);
      sum += d * d;
      count++;
    }
  }
  if (sum === 0) return Infinity;
  return 10 * Math.log10((255 * 255) / (sum / count));
}

/** Alpha values: how many pixels are fully opaque, fully transparent, and between. */
export function alphaCounts(image: RgbaImage): { opaque: number; clear: number; partial: number } {
  const counts = { opaque: 0, clear: 0, partial: 0 };
  for (let i = 3; i < image.data.length; i += 4) {
    const a = image.data[i] ?? 0;
    if (a === 255) counts.opaque++;
    else if (a === 0) counts.clear++;
    else counts.partial++;
  }
  return counts;
}

/** GIF's Netscape loop count (repeats after the first play, 0 forever), or null when absent (plays once). */
export async function gifLoopCount(path: string): Promise<number | null> {
  const bytes = await readFile(path);
  const at = bytes.indexOf('NETSCAPE2.0');
  if (at < 0) return null;
  // NETSCAPE2.0, then a sub-block: size 3, id 1, count (little-endian 16 bits).
  return bytes.readUInt16LE(at + 11 + 2);
}

/** APNG's acTL chunk: frames and plays (0 forever). */
export async function apngControl(path: string): Promise<{ frames: number; plays: number } | null> {
  const bytes = await readFile(path);
  const at = bytes.indexOf('acTL');
  if (at < 0) return null;
  return { frames: bytes.readUInt32BE(at + 4), plays: bytes.readUInt32BE(at + 8) };
}

/** Animated WebP as sharp (libwebp) reads it: frames, per-frame delays, loop count, alpha. */
export async function probeWebp(path: string): Promise<{
  frames: number;
  delays: number[];
  loop: number;
  hasAlpha: boolean;
  width: number;
  height: number;
}> {
  const meta = await sharp(await readFile(path), { animated: true }).metadata();
  return {
    frames: meta.pages ?? 1,
    delays: meta.delay ?? [],
    loop: meta.loop ?? 0,
    hasAlpha: meta.hasAlpha ?? false,
    width: meta.width ?? 0,
    height: meta.pageHeight ?? meta.height ?? 0,
  };
}

/** Whether the MP4's index (moov) comes before the media (mdat): what +faststart does for the web. */
export async function moovFirst(path: string): Promise<boolean> {
  const bytes = await readFile(path);
  const moov = bytes.indexOf('moov');
  const mdat = bytes.indexOf('mdat');
  return moov >= 0 && mdat >= 0 && moov < mdat;
}
