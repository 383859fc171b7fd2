// The photo at the output size is resized once per photo and size (issue 13, point 1: an editor renders
// the same photo after every edit), and is what a fresh resize gives.
import { describe, expect, it } from 'vitest';
import { planInput } from '../../../src/engine/motion/prepare.js';
import type { AnimateInput, JobControl } from '../../../src/engine/render/types.js';
import { loadPhoto } from '../../helpers/photos.js';

const control = (): JobControl => ({ signal: new AbortController().signal, progress: () => undefined });

describe('the photo at the output size', () => {
  it('is resized once per photo and size, and equals a fresh resize', async () => {
    const { image: photo } = await loadPhoto('coffee.png');
    const request = (width: number, height: number): AnimateInput => ({
      photo,
      regions: [],
      timing: { seconds: 1, fps: 12, loop: 'loop' },
      size: { width, height },
    });
    const first = await planInput(request(300, 200), control());
    const again = await planInput(request(300, 200), control());
    expect(again.photo).toBe(first.photo);
    expect(first.photo.buffer).toBeInstanceOf(SharedArrayBuffer);

    // The same pixels in another array: no cache entry, resized afresh, and the same result.
    const copy = { ...photo, data: photo.data.slice() };
    const fresh = await planInput({ ...request(300, 200), photo: copy }, control());
    expect(fresh.photo).not.toBe(first.photo);
    expect(Buffer.compare(fresh.photo, first.photo)).toBe(0);

    const smaller = await planInput(request(150, 100), control());
    expect(smaller.photo.length).toBe(150 * 100 * 4);
    expect(smaller.photo).not.toBe(first.photo);
  });
});
