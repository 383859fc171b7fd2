// Makes the README's strip of frames from the demo clip: `npm run demo && node scripts/frame-strip.mjs`.
// Six frames spread over the clip, side by side, through the same ffmpeg Stir finds for exports.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const clip = process.argv[2] ?? 'output/demo/rocket-launch.mp4';
const out = process.argv[3] ?? 'docs/screenshots/frames.png';
const frames = [0, 14, 28, 42, 56, 71];
const select = frames.map((n) => `eq(n\\,${n})`).join('+');
mkdirSync('docs/screenshots', { recursive: true });
const result = spawnSync(
  process.env.STIR_FFMPEG ?? 'ffmpeg',
  [
    '-v',
    'error',
    '-y',
    '-i',
    clip,
    '-vf',
    `select='${select}',scale=256:-1,tile=6x1:padding=4:color=0x16171a`,
    '-frames:v',
    '1',
    '-vsync',
    '0',
    out,
  ],
  { stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(`Wrote ${out}`);
