// The still background of a delivered MP4 on the five example photos (issue 10, point 6): 3 s at 24 fps,
// a flow on a central ellipse, the default quality, decoded back by ffmpeg (tests/integration/export/
// still-fidelity.ts). Per photo, the still area's lowest luma PSNR against the photo's and how far its
// RGB PSNR falls below a lossless 4:2:0 encode's (4:2:0 alone caps rocket.jpg at 32 dB RGB).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stillFidelity } from '../tests/integration/export/still-fidelity.js';
import type { PhotoName } from '../tests/helpers/photos.js';
import type { BenchRow } from './harness.js';

const PHOTOS: readonly PhotoName[] = [
  'rocket.jpg',
  'coffee.png',
  'astronaut.png',
  'chelsea.png',
  'grass.png',
];

export async function benchStillFidelity(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'stir-bench-still-'));
  const rows: BenchRow[] = [];
  try {
    for (const name of PHOTOS) {
      const measured = await stillFidelity(name, { seconds: 3, fps: 24 }, dir);
      const size = `${measured.width}x${measured.height}`;
      rows.push(
        {
          group: 'still',
          name: `MP4 still area, luma PSNR vs the photo, ${name} ${size}`,
          value: measured.luma,
          unit: 'dB',
          target: '>= 42 dB',
        },
        {
          group: 'still',
          name: `MP4 still area, RGB PSNR below lossless 4:2:0, ${name}`,
          value: measured.ceiling - measured.rgb,
          unit: 'dB',
          target: '<= 1.5 dB',
          note: `RGB ${measured.rgb.toFixed(2)} dB, ceiling ${measured.ceiling.toFixed(2)} dB`,
        },
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}
