// The CLI end to end on real photos: a clip that ffprobe/ffmpeg decode back, and clear refusals that
// write nothing.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.js';
import type { CliIO } from '../../../src/cli/command.js';
import { photoPath } from '../../helpers/photos.js';
import { ensureFixturePacks, packDir } from '../../unit/models/fixture-packs.js';

const run = promisify(execFile);
const STIR = fileURLToPath(new URL('../../../bin/stir.js', import.meta.url));

function captureIO(): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    interactive: false,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

async function probe(
  path: string,
): Promise<{ codec: string; width: number; height: number; pixFmt: string; fps: string; frames: number }> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_frames',
    '-show_entries',
    'stream=codec_name,width,height,pix_fmt,r_frame_rate,nb_read_frames',
    '-of',
    'json',
    path,
  ]);
  const stream = (JSON.parse(stdout) as { streams: Array<Record<string, string | number>> }).streams[0] ?? {};
  return {
    codec: String(stream.codec_name),
    width: Number(stream.width),
    height: Number(stream.height),
    pixFmt: String(stream.pix_fmt),
    fps: String(stream.r_frame_rate),
    frames: Number(stream.nb_read_frames),
  };
}

describe('stir animate', () => {
  it('renders a real photo to an MP4 that decodes back with the right frames, size and fps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stir-cli-'));
    const out = join(dir, 'cat.mp4');
    const { stdout } = await run(
      process.execPath,
      [
        STIR,
        'animate',
        photoPath('chelsea.png'),
        '--region',
        '300,160:sway:3',
        '--region',
        '80,60:flow:2',
        '--seconds',
        '1.5',
        '--fps',
        '12',
        '-o',
        out,
      ],
      { timeout: 120_000 },
    );
    expect(stdout).toContain(`Wrote ${out}`);
    const info = await probe(out);
    // chelsea.png is 451x300: H.264 4:2:0 needs even sizes.
    expect(info).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', fps: '12/1', frames: 18 });
    expect(info.width % 2).toBe(0);
    expect(info.height % 2).toBe(0);
    expect(Math.abs(info.width - 451)).toBeLessThanOrEqual(1);
    expect(info.height).toBe(300);
    // Nothing but the clip is left in the folder (no temporary files).
    expect(readdirSync(dir)).toEqual(['cat.mp4']);
  });

  // Issue 13, point 2: a folder as the target gets a clip named after the photo and preset (made when
  // missing), and the extension always matches the format.
  const quick = ['--region', '300,160:sway:3', '--seconds', '1', '--fps', '8', '--long-side', '160'];
  it('writes into a folder given with -o FOLDER/, making it, under a name from the photo and preset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stir-cli-'));
    const io = captureIO();
    const code = await runCli(
      [
        'animate',
        photoPath('chelsea.png'),
        ...quick,
        '--preset',
        'web-mp4',
        '-o',
        `${join(dir, 'exports')}/`,
      ],
      io,
    );
    expect(io.stderr).toContain(`Made the folder ${join(dir, 'exports')}`);
    expect(code).toBe(0);
    expect(readdirSync(join(dir, 'exports'))).toEqual(['chelsea-web-mp4.mp4']);
    expect(await probe(join(dir, 'exports', 'chelsea-web-mp4.mp4'))).toMatchObject({
      codec: 'h264',
      frames: 8,
    });
    // The same folder again (now existing, no slash): a second name beside the first, nothing replaced.
    expect(
      await runCli(
        ['animate', photoPath('chelsea.png'), ...quick, '--preset', 'web-mp4', '-o', join(dir, 'exports')],
        captureIO(),
      ),
    ).toBe(0);
    expect(readdirSync(join(dir, 'exports')).sort()).toEqual([
      'chelsea-web-mp4-2.mp4',
      'chelsea-web-mp4.mp4',
    ]);
  });

  it('opens a photo over 8192 px scaled down, says so, and reads the clicks on the file itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stir-cli-'));
    // 9000x120: a bright band on the right half of a dark panorama; a click at x=8990 (the file's pixels, past 8192)
    // lands in the band only when it is moved onto the 8192-wide photo Stir works on.
    const width = 9000;
    const height = 120;
    const pixels = new Uint8Array(width * height * 3).map((_, i) =>
      Math.floor(i / 3) % width > 4500 ? 230 : 20,
    );
    const photo = join(dir, 'panorama.png');
    writeFileSync(
      photo,
      await sharp(pixels, { raw: { width, height, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const io = captureIO();
    const code = await runCli(
      [
        'animate',
        photo,
        '--region',
        '8990,60:sway',
        '--seconds',
        '1',
        '--fps',
        '8',
        '--long-side',
        '512',
        '-o',
        join(dir, 'pano.mp4'),
      ],
      io,
    );
    expect(io.stderr, io.stderr).toContain(
      'panorama.png is 9000x120: Stir works on it scaled down to 8192x109',
    );
    expect(code, io.stderr).toBe(0);
    expect(await probe(join(dir, 'pano.mp4'))).toMatchObject({ width: 512, frames: 8 });
  });

  it('writes ProRes asked for under a .mp4 name as .mov, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stir-cli-'));
    const io = captureIO();
    const code = await runCli(
      [
        'animate',
        photoPath('chelsea.png'),
        ...quick,
        '--format',
        'mov-prores-422hq',
        '-o',
        join(dir, 'take.mp4'),
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.stderr).toContain('take.mp4 was saved as take.mov');
    expect(io.stdout).toContain(`Wrote ${join(dir, 'take.mov')}`);
    expect(readdirSync(dir)).toEqual(['take.mov']);
    expect(await probe(join(dir, 'take.mov'))).toMatchObject({ codec: 'prores', frames: 8 });
  });

  const refusals: Array<[string, (dir: string) => string[], RegExp]> = [
    [
      'a missing photo',
      (dir) => ['animate', join(dir, 'nope.jpg'), '--region', '1,1:sway', '-o', join(dir, 'o.mp4')],
      /no file at/,
    ],
    [
      'a file that is not an image',
      (dir) => {
        writeFileSync(join(dir, 'notes.png'), 'hello, not a photo');
        return ['animate', join(dir, 'notes.png'), '--region', '1,1:sway', '-o', join(dir, 'o.mp4')];
      },
      /not a photo Stir can open/,
    ],
    [
      'a click outside the image',
      (dir) => ['animate', photoPath('chelsea.png'), '--region', '900,10:sway', '-o', join(dir, 'o.mp4')],
      /outside the photo, which is 451x300/,
    ],
    [
      'an unknown motion word',
      (dir) => [
        'animate',
        photoPath('chelsea.png'),
        '--region',
        '100,100:teleport',
        '-o',
        join(dir, 'o.mp4'),
      ],
      /does not know the motion .teleport.\. The closest are: \w+/,
    ],
    [
      'a word only the diffusion engine does',
      (dir) => ['animate', photoPath('chelsea.png'), '--region', '100,100:dance', '-o', join(dir, 'o.mp4')],
      /only the diffusion engine/,
    ],
    [
      'an unwritable output path',
      (dir) => [
        'animate',
        photoPath('chelsea.png'),
        '--region',
        '100,100:sway',
        '-o',
        join(dir, 'missing-folder', 'o.mp4'),
      ],
      /does not exist/,
    ],
    [
      'a folder to make under a file',
      (dir) => {
        writeFileSync(join(dir, 'a-file'), 'x');
        return [
          'animate',
          photoPath('chelsea.png'),
          '--region',
          '100,100:sway',
          '-o',
          `${join(dir, 'a-file', 'clips')}/`,
        ];
      },
      /part of that path is a file/,
    ],
    [
      'an anchoring setting that is neither on nor off',
      (dir) => [
        'animate',
        photoPath('chelsea.png'),
        '--region',
        '100,100:sway',
        '--anchor-first-frame',
        'maybe',
        '-o',
        join(dir, 'o.mp4'),
      ],
      /--anchor-first-frame "maybe" is neither on nor off/,
    ],
  ];

  it.each(refusals)(
    'refuses %s with a clear message, a non-zero exit and nothing written',
    async (_what, args, message) => {
      const dir = mkdtempSync(join(tmpdir(), 'stir-cli-'));
      const before = readdirSync(dir, { recursive: true }).length;
      const argv = args(dir);
      const io = captureIO();
      const code = await runCli(argv, io);
      expect(code).not.toBe(0);
      expect(io.stderr).toMatch(message);
      expect(existsSync(join(dir, 'o.mp4'))).toBe(false);
      // Only what the test itself made is there.
      expect(readdirSync(dir, { recursive: true }).length).toBeLessThanOrEqual(before + 3);
    },
  );

  describe("--engine diffusion --pack DIR (the paper's pipeline on a tiny pack)", () => {
    it('renders through the same request and export as the built-in engine', async () => {
      ensureFixturePacks();
      const dir = mkdtempSync(join(tmpdir(), 'stir-cli-'));
      const out = join(dir, 'smile.mp4');
      const io = captureIO();
      const code = await runCli(
        [
          'animate',
          photoPath('chelsea.png'),
          '--region',
          '200,150:smile',
          '--engine',
          'diffusion',
          '--pack',
          packDir('fyc'),
          '--seconds',
          '1',
          '--fps',
          '8',
          '-o',
          out,
        ],
        io,
      );
      expect(io.stderr).toBe('');
      expect(code).toBe(0);
      expect(await probe(out)).toMatchObject({ codec: 'h264', frames: 8, fps: '8/1', height: 300 });
    });

    it('refuses a pack folder whose file does not match its sha256, writing nothing', async () => {
      ensureFixturePacks();
      const dir = mkdtempSync(join(tmpdir(), 'stir-cli-'));
      const io = captureIO();
      const code = await runCli(
        [
          'animate',
          photoPath('chelsea.png'),
          '--region',
          '200,150:smile',
          '--engine',
          'diffusion',
          '--pack',
          packDir('bad-sha256'),
          '-o',
          join(dir, 'o.mp4'),
        ],
        io,
      );
      expect(code).not.toBe(0);
      expect(io.stderr).toMatch(/sha256 [0-9a-f]{64}, the manifest says/);
      expect(readdirSync(dir)).toEqual([]);
    });
  });
});
