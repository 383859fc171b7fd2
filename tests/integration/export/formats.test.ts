// The formats presets do not cover, and the options: H.265, VP9 with and without alpha, animated WebP,
// APNG, GIF transparency and loop counts, the separate matte clip, ping-pong, a transparent photo, and the
// same exports through Debian's ffmpeg (CI's) besides the @ffmpeg-installer build discovery finds first.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../../src/engine/export/ffmpeg-locate.js';
import { createClipExporter, type ClipExporterOptions } from '../../../src/engine/export/index.js';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import type { ExportRequest, ExportWritten } from '../../../src/engine/ports.js';
import type { Mask } from '../../../src/shared/index.js';
import {
  alphaCounts,
  apngControl,
  cropTo,
  decodeFrame,
  gifLoopCount,
  probe,
  probeWebp,
  psnr,
  readSidecar,
  sequenceFrames,
} from './decode.js';
import { makeTestClip, type TestClip } from './test-animation.js';

let dir: string;
let clip: TestClip;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-formats-'));
  clip = await makeTestClip(); // chelsea.png at 257x171 (both sides odd), 12 frames at 12 fps
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exportClip(
  request: Omit<ExportRequest, 'path' | 'overwrite'> & { name: string },
  options: ClipExporterOptions = {},
  source: TestClip = clip,
): Promise<ExportWritten> {
  const { name, ...rest } = request;
  return createClipExporter(options).export(
    source.animation,
    { path: join(dir, name), overwrite: true, mattes: [source.mask], ...rest },
    { signal: new AbortController().signal, progress: () => undefined },
  );
}

/** Share of pixels where the decoded alpha and the mask agree on inside (> 127) or outside. */
function alphaMatches(image: RgbaImage, mask: Mask): number {
  let agree = 0;
  for (let p = 0; p < mask.data.length; p++) {
    if ((image.data[p * 4 + 3] ?? 0) > 127 === (mask.data[p] ?? 0) > 127) agree++;
  }
  return agree / mask.data.length;
}

const inside = (mask: Mask) => (p: number) => (mask.data[p] ?? 0) === 255;

describe.sequential('export formats, decoded back', () => {
  it('H.265: hvc1-tagged HEVC in MP4, yuv420p, odd sides cropped', async () => {
    const written = await exportClip({ format: 'mp4-h265', name: 'a.mp4' });
    expect(written).toMatchObject({ width: 256, height: 170, frameCount: 12 });
    const facts = await probe(written.path);
    expect(facts).toMatchObject({ codec: 'hevc', codecTag: 'hvc1', pixelFormat: 'yuv420p', width: 256 });
    expect(facts).toMatchObject({ height: 170, frameCount: 12, colorSpace: 'bt709' });
    expect(facts.fps).toBeCloseTo(12, 1);
    expect(psnr(cropTo(clip.photo, 256, 170), await decodeFrame(written.path))).toBeGreaterThan(34);
  });

  it('WebM VP9: no alpha for an opaque clip, alpha from the matte when asked', async () => {
    const plain = await exportClip({ format: 'webm-vp9', name: 'plain.webm' });
    const plainFacts = await probe(plain.path);
    expect(plainFacts).toMatchObject({
      codec: 'vp9',
      width: 257,
      height: 171,
      frameCount: 12,
      alphaMode: false,
    });
    const plainFirst = await decodeFrame(plain.path);
    expect(alphaCounts(plainFirst).opaque).toBe(257 * 171);
    expect(psnr(clip.photo, plainFirst)).toBeGreaterThan(36);

    const overlay = await exportClip({ format: 'webm-vp9', name: 'overlay.webm', matte: 'alpha' });
    const facts = await probe(overlay.path);
    expect(facts).toMatchObject({ codec: 'vp9', frameCount: 12, alphaMode: true });
    expect(facts.fps).toBeCloseTo(12, 1);
    const first = await decodeFrame(overlay.path);
    expect(alphaMatches(first, clip.mask)).toBeGreaterThan(0.99);
    expect(psnr(clip.photo, first, inside(clip.mask))).toBeGreaterThan(36);
  });

  it('animated WebP: frames, timing, loop count, and alpha only with the matte', async () => {
    const plain = await exportClip({ format: 'webp', name: 'plain.webp', loops: 2 });
    const info = await probeWebp(plain.path);
    expect(info).toMatchObject({ frames: 12, loop: 2, width: 257, height: 171 });
    const seconds = info.delays.reduce((a, b) => a + b, 0) / 1000;
    expect(12 / seconds).toBeCloseTo(12, 1);
    const first = await decodeFrame(plain.path);
    // WebP flags alpha for its frame blending; what matters is that every decoded frame is opaque.
    expect(alphaCounts(first).opaque).toBe(257 * 171);
    expect(alphaCounts(await decodeFrame(plain.path, 7)).opaque).toBe(257 * 171);
    expect(psnr(clip.photo, first)).toBeGreaterThan(30);

    const overlay = await exportClip({ format: 'webp', name: 'overlay.webp', matte: 'alpha' });
    expect((await probeWebp(overlay.path)).loop).toBe(0);
    const overlayFirst = await decodeFrame(overlay.path);
    expect(alphaMatches(overlayFirst, clip.mask)).toBeGreaterThan(0.99);
    expect(psnr(clip.photo, overlayFirst, inside(clip.mask))).toBeGreaterThan(30);
  });

  it('APNG: lossless, rgb24 when opaque, rgba with the matte, plays stored in the file', async () => {
    const plain = await exportClip({ format: 'apng', name: 'plain.png', loops: 3 });
    const facts = await probe(plain.path);
    expect(facts).toMatchObject({
      codec: 'apng',
      pixelFormat: 'rgb24',
      width: 257,
      height: 171,
      frameCount: 12,
    });
    expect(facts.fps).toBeCloseTo(12, 1);
    expect(await apngControl(plain.path)).toEqual({ frames: 12, plays: 3 });
    expect(psnr(clip.photo, await decodeFrame(plain.path))).toBe(Infinity);

    const overlay = await exportClip({ format: 'apng', name: 'overlay.png', matte: 'alpha' });
    expect((await probe(overlay.path)).pixelFormat).toBe('rgba');
    expect(await apngControl(overlay.path)).toEqual({ frames: 12, plays: 0 });
    const first = await decodeFrame(overlay.path);
    expect(alphaMatches(first, clip.mask)).toBe(1);
    expect(psnr(clip.photo, first, inside(clip.mask))).toBe(Infinity);
  });

  it('GIF: loop count in the Netscape block, transparency outside the region with the matte', async () => {
    const once = await exportClip({ format: 'gif', name: 'once.gif', loops: 1 });
    expect(await gifLoopCount(once.path)).toBeNull();
    const thrice = await exportClip({ format: 'gif', name: 'thrice.gif', loops: 3 });
    expect(await gifLoopCount(thrice.path)).toBe(2);
    const facts = await probe(thrice.path);
    expect(facts).toMatchObject({ codec: 'gif', width: 257, height: 171, frameCount: 12 });
    expect(facts.fps).toBeGreaterThan(11.5);
    expect(facts.fps).toBeLessThan(12.5);
    expect(psnr(clip.photo, await decodeFrame(thrice.path))).toBeGreaterThan(30);

    const overlay = await exportClip({ format: 'gif', name: 'overlay.gif', matte: 'alpha' });
    const first = await decodeFrame(overlay.path);
    expect(alphaMatches(first, clip.mask)).toBeGreaterThan(0.99);
    expect(alphaCounts(first).partial).toBe(0); // GIF transparency is all or nothing
  });

  it('writes the matte as a separate black-and-white clip beside the clip', async () => {
    const written = await exportClip({ format: 'mov-prores-422hq', name: 'edit.mov', matte: 'separate' });
    expect(written.mattePath).toBe(join(dir, 'edit-matte.mov'));
    const clipFacts = await probe(written.path);
    const matteFacts = await probe(written.mattePath ?? '');
    expect(matteFacts).toMatchObject({ codec: 'prores', width: clipFacts.width, height: clipFacts.height });
    expect(matteFacts.frameCount).toBe(clipFacts.frameCount);
    const matte = await decodeFrame(written.mattePath ?? '', 5);
    let agree = 0;
    let grey = 0;
    for (let y = 0; y < matte.height; y++) {
      for (let x = 0; x < matte.width; x++) {
        const p = y * matte.width + x;
        const [r, g, b] = [matte.data[p * 4], matte.data[p * 4 + 1], matte.data[p * 4 + 2]];
        if (r !== g || g !== b) grey++;
        if ((r ?? 0) > 127 === (clip.mask.data[y * clip.mask.width + x] ?? 0) > 127) agree++;
      }
    }
    expect(agree / (matte.width * matte.height)).toBeGreaterThan(0.99);
    expect(grey / (matte.width * matte.height)).toBeLessThan(0.01);
    // The clip itself carries no alpha.
    expect(alphaCounts(await decodeFrame(written.path)).opaque).toBe(clipFacts.width * clipFacts.height);
  });

  it('writes a PNG sequence with its matte sequence in a folder beside it', async () => {
    const written = await exportClip({
      format: 'png-sequence',
      name: 'frames',
      matte: 'separate',
      pingPong: true,
    });
    expect(written.frameCount).toBe(22);
    expect(await sequenceFrames(written.path)).toHaveLength(22);
    const matteFrames = await sequenceFrames(written.mattePath ?? '');
    expect(matteFrames).toHaveLength(22);
    expect(matteFrames[0]).toMatch(/frames-matte_00000\.png$/);
    expect(await readSidecar(written.mattePath ?? '')).toMatchObject({
      matte: 'separate',
      frameCount: 22,
      fps: 12,
    });
    expect((await probe(matteFrames[0] ?? '')).pixelFormat).toBe('gray');
  });

  it('ping-pong plays forward then backward without repeating the end frames', async () => {
    const written = await exportClip({ format: 'apng', name: 'pingpong.png', pingPong: true, loops: 0 });
    expect(written.frameCount).toBe(22);
    expect((await probe(written.path)).frameCount).toBe(22);
    // File frame 13 is source frame 22 - 13 = 9 on the way back (lossless, so exactly).
    const back = await decodeFrame(written.path, 13);
    expect(psnr(await clip.animation.renderFrame(9), back)).toBe(Infinity);
    expect(psnr(await clip.animation.renderFrame(1), back)).toBeLessThan(40);
  });

  it('keeps a transparent photo transparent in formats with alpha, without a matte', async () => {
    const transparent = await makeTestClip({ transparentCorner: true });
    const written = await exportClip({ format: 'mov-prores-4444', name: 'transparent.mov' }, {}, transparent);
    expect((await probe(written.path)).pixelFormat).toMatch(/^yuva444p/);
    const first = await decodeFrame(written.path);
    expect(Math.abs((first.data[3] ?? 0) - 128)).toBeLessThanOrEqual(1); // top-left pixel, alpha 128
    expect(first.data[(170 * 257 + 256) * 4 + 3]).toBe(255); // bottom-right, opaque
    const opaque = await exportClip({ format: 'mov-prores-4444', name: 'opaque.mov' });
    expect((await probe(opaque.path)).pixelFormat).toMatch(/^yuv444p/);
  });

  it("works the same with Debian's ffmpeg", async () => {
    const system = await findOnPath('ffmpeg');
    if (!system) throw new Error('this test needs ffmpeg on PATH (apt-get install ffmpeg)');
    const h264 = await exportClip({ format: 'mp4-h264', name: 'debian.mp4' }, { ffmpegPath: system });
    expect(await probe(h264.path)).toMatchObject({
      codec: 'h264',
      pixelFormat: 'yuv420p',
      width: 256,
      frameCount: 12,
    });
    expect(psnr(cropTo(clip.photo, 256, 170), await decodeFrame(h264.path))).toBeGreaterThan(35);
    const overlay = await exportClip(
      { format: 'mov-prores-4444', name: 'debian.mov', matte: 'alpha' },
      { ffmpegPath: system },
    );
    expect((await probe(overlay.path)).pixelFormat).toMatch(/^yuva444p/);
    expect(alphaMatches(await decodeFrame(overlay.path), clip.mask)).toBeGreaterThan(0.99);
  });

  it('leaves no temporary files behind', async () => {
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
