// Hostile photo inputs cost bounded time and memory: paths that are not regular files are refused without
// blocking, a header that claims more pixels than the data could hold is refused before decoding, and a
// photo larger than Stir's working size opens scaled down and says so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS, StirError } from '../../../src/shared/index.js';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { photoPath } from '../../helpers/photos.js';

async function refusal(promise: Promise<unknown>): Promise<StirError> {
  const caught = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(StirError);
  return caught as StirError;
}

/** A real JPEG (by default a 32x32 one) whose start-of-frame header is rewritten to claim `width` x `height`. */
async function jpegClaiming(width: number, height: number, source?: Uint8Array): Promise<Uint8Array> {
  const bytes =
    source?.slice() ??
    new Uint8Array(await sharp(photoPath('rocket.jpg')).resize(32, 32).jpeg({ quality: 80 }).toBuffer());
  for (let i = 0; i + 8 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xc0) {
      new DataView(bytes.buffer).setUint16(i + 5, height);
      new DataView(bytes.buffer).setUint16(i + 7, width);
      return bytes;
    }
  }
  throw new Error('no baseline start-of-frame marker');
}

/** A real PNG whose IHDR (and its CRC) is rewritten to claim `width` x `height`. */
async function pngClaiming(width: number, height: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(await sharp(photoPath('chelsea.png')).resize(16, 16).png().toBuffer());
  const view = new DataView(bytes.buffer);
  // Signature (8), length (4), "IHDR" (4), then width and height; the CRC covers type and data.
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(bytes.subarray(12, 29)));
  return bytes;
}

describe('decodePhoto: bounded inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stir-decode-bounds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a FIFO, a device and a folder in words, without waiting on them', async () => {
    const fifo = join(dir, 'pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    const pipe = await refusal(decodePhoto({ kind: 'path', path: fifo }));
    expect([pipe.code, pipe.message]).toEqual([
      'NOT_AN_IMAGE',
      'pipe.jpg is not a photo: it is a device, a pipe or a socket, not a regular file.',
    ]);
    expect((await refusal(decodePhoto({ kind: 'path', path: '/dev/zero' }))).message).toMatch(
      /zero is not a photo: it is a device/,
    );
    expect((await refusal(decodePhoto({ kind: 'path', path: dir }))).message).toMatch(
      /is a folder, not a photo/,
    );
  });

  it('refuses a tiny JPEG whose header claims 8192x8192, before decoding it', async () => {
    const bomb = await jpegClaiming(8192, 8192);
    expect(bomb.length).toBeLessThan(4096);
    const error = await refusal(decodePhoto({ kind: 'bytes', name: 'bomb.jpg', bytes: bomb }));
    expect([error.code, error.message]).toEqual([
      'NOT_AN_IMAGE',
      expect.stringMatching(/^bomb\.jpg is damaged: its header says 8192x8192, but the file holds only/),
    ]);
  });

  it('refuses a real 112 KB JPEG whose header claims 8192x8192: its data decodes as garbage', async () => {
    // 600 pixels a byte passes the plausibility floor, so it is decoded, strictly: the first sign of
    // corrupt data refuses it (libjpeg would otherwise fill 67 megapixels with garbage and accept it).
    const claims = await jpegClaiming(8192, 8192, new Uint8Array(readFileSync(photoPath('rocket.jpg'))));
    const error = await refusal(decodePhoto({ kind: 'bytes', name: 'claims.jpg', bytes: claims }));
    expect([error.code, error.message]).toEqual([
      'NOT_AN_IMAGE',
      'claims.jpg looks like a jpeg file but cannot be decoded: it may be damaged.',
    ]);
  });

  it('refuses a photo of more than the pixel limit, and a PNG that claims more than its data holds', async () => {
    const huge = await refusal(
      decodePhoto({ kind: 'bytes', name: 'huge.png', bytes: await pngClaiming(12_000, 9_000) }),
    );
    expect([huge.code, huge.message]).toEqual([
      'IMAGE_TOO_LARGE',
      `huge.png is 12000x9000 (108 megapixels); Stir opens photos of up to ${LIMITS.photoPixelsMax / 1e6} megapixels.`,
    ]);
    const claims = await refusal(
      decodePhoto({ kind: 'bytes', name: 'claims.png', bytes: await pngClaiming(9_000, 9_000) }),
    );
    expect(claims.message).toMatch(/^claims\.png is damaged: its header says 9000x9000/);
  });

  it('refuses truncated data', async () => {
    const whole = readFileSync(photoPath('rocket.jpg'));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.95));
    const error = await refusal(decodePhoto({ kind: 'bytes', name: 'cut.jpg', bytes: cut }));
    expect([error.code, error.message]).toEqual([
      'NOT_AN_IMAGE',
      'cut.jpg looks like a jpeg file but cannot be decoded: it may be damaged.',
    ]);
  });

  it('opens a photo longer than the working size scaled down to it, saying from what size', async () => {
    const width = LIMITS.photoLongSideMax + 808;
    const stripes = new Uint8Array(width * 600 * 3).map((_, i) => (Math.floor(i / 3 / 900) % 2) * 255);
    const png = await sharp(stripes, { raw: { width, height: 600, channels: 3 } })
      .png()
      .toBuffer();
    writeFileSync(join(dir, 'wide.png'), png);
    const decoded = await decodePhoto({ kind: 'path', path: join(dir, 'wide.png') });
    expect(decoded.scaledFrom).toEqual({ width, height: 600 });
    expect([decoded.image.width, decoded.image.height]).toEqual([
      LIMITS.photoLongSideMax,
      Math.round((600 * LIMITS.photoLongSideMax) / width),
    ]);
    // The content is scaled, not cropped: the last stripe (white from x = 8100) still ends the row.
    const row = decoded.image.width * 4;
    expect(decoded.image.data[row - 4]).toBe(255);
    expect(decoded.image.data[0]).toBe(0);
    // A photo within the working size opens as it is.
    expect((await decodePhoto({ kind: 'path', path: photoPath('rocket.jpg') })).scaledFrom).toBeNull();
  });
});
