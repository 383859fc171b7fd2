// Opening photos: the three formats, EXIF orientation applied (so clicks and masks match what a person
// sees), grey photos widened to RGBA, and every way a file can be wrong refused in words.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { StirError } from '../../../src/shared/index.js';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { loadPhoto, photoPath } from '../../helpers/photos.js';

async function refusal(promise: Promise<unknown>): Promise<StirError> {
  const caught = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(StirError);
  return caught as StirError;
}

describe('decodePhoto', () => {
  it('opens PNG and JPEG photos as RGBA at their size', async () => {
    const png = await decodePhoto({ kind: 'path', path: photoPath('chelsea.png') });
    expect([png.format, png.image.width, png.image.height, png.image.data.length]).toEqual([
      'png',
      451,
      300,
      451 * 300 * 4,
    ]);
    const jpeg = await decodePhoto({ kind: 'path', path: photoPath('rocket.jpg') });
    expect([jpeg.format, jpeg.image.width, jpeg.image.height]).toEqual(['jpeg', 640, 427]);
    // Opaque photos come out with alpha 255 everywhere.
    expect(jpeg.image.data.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
  });

  it('widens a grey photo to RGB with equal channels', async () => {
    const grass = await decodePhoto({ kind: 'path', path: photoPath('grass.png') });
    const d = grass.image.data;
    expect(d[0]).toBe(d[1]);
    expect(d[1]).toBe(d[2]);
    expect(d.length).toBe(512 * 512 * 4);
  });

  it('opens WebP from bytes, losslessly', async () => {
    const { image } = await loadPhoto('coffee.png');
    const webp = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
      .webp({ lossless: true })
      .toBuffer();
    const decoded = await decodePhoto({ kind: 'bytes', name: 'coffee.webp', bytes: webp });
    expect(decoded.format).toBe('webp');
    expect(Buffer.compare(Buffer.from(decoded.image.data), Buffer.from(image.data))).toBe(0);
  });

  it('applies EXIF orientation: a portrait shot stored landscape opens upright', async () => {
    const { image } = await loadPhoto('chelsea.png');
    // Orientation 6: the stored pixels must be turned 90° clockwise to be seen upright.
    const stored = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const decoded = await decodePhoto({ kind: 'bytes', name: 'turned.jpg', bytes: stored });
    expect([decoded.image.width, decoded.image.height]).toEqual([300, 451]);
    // The stored top-left pixel is now at the top-right.
    const storedTopLeft = [...image.data.subarray(0, 3)];
    const upright = decoded.image;
    const i = (upright.width - 1) * 4;
    for (let c = 0; c < 3; c++)
      expect(Math.abs((upright.data[i + c] ?? 0) - (storedTopLeft[c] ?? 0))).toBeLessThan(24);
  });

  it('refuses what is not a photo, with words a person understands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stir-decode-'));
    writeFileSync(join(dir, 'notes.jpg'), 'not a photo at all');
    writeFileSync(join(dir, 'empty.png'), '');
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#ff0000' } })
      .gif()
      .toBuffer();
    const truncated = (await sharp(photoPath('chelsea.png')).jpeg().toBuffer()).subarray(0, 2000);

    expect((await refusal(decodePhoto({ kind: 'path', path: join(dir, 'missing.png') }))).code).toBe(
      'FILE_NOT_FOUND',
    );
    expect((await refusal(decodePhoto({ kind: 'path', path: dir }))).message).toMatch(
      /is a folder, not a photo/,
    );
    const notes = await refusal(decodePhoto({ kind: 'path', path: join(dir, 'notes.jpg') }));
    expect([notes.code, notes.hint]).toEqual(['NOT_AN_IMAGE', 'Stir opens JPEG, PNG and WebP photos.']);
    expect((await refusal(decodePhoto({ kind: 'path', path: join(dir, 'empty.png') }))).code).toBe(
      'NOT_AN_IMAGE',
    );
    expect((await refusal(decodePhoto({ kind: 'bytes', name: 'anim.gif', bytes: gif }))).message).toMatch(
      /is a gif, not a JPEG, PNG or WebP/,
    );
    expect(
      (await refusal(decodePhoto({ kind: 'bytes', name: 'cut.jpg', bytes: truncated }))).message,
    ).toMatch(/damaged/);
  });
});
