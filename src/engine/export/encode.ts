// Encoding one stream of frames into one file (or image sequence) with ffmpeg. Most formats are one pass;
// GIF is two: the first pass builds a 256-colour palette from every frame (palettegen), the second maps the
// frames onto it (paletteuse). Doing it in one ffmpeg call would buffer every frame until the palette is
// ready; two passes render the frames twice but keep memory bounded.
import { rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { ExportFormat } from '../../shared/index.js';
import { OWNED_TOKEN, ownedToken } from '../system/temp-owner.js';
import { encodeFrames } from './ffmpeg-run.js';
import { FORMAT_SPECS, cropFilter, rawInputArgs, type EncodeSetup } from './formats.js';

/**
 * The scratch files an encode writes beside the output (the repeated cycle and its concat list, the GIF
 * palette); removed when the encode ends, and by the next start's sweep after a crash.
 */
export const SCRATCH_NAME = new RegExp(
  `^\\.stir-(cycle-${OWNED_TOKEN(8)}\\.[A-Za-z0-9]+|palette-\\d+-\\d+\\.png)$`,
);

export interface EncodeJob {
  ffmpegPath: string;
  format: ExportFormat;
  setup: EncodeSetup;
  /** The clip's size after any even-side crop. */
  size: { width: number; height: number };
  /** A fresh stream of the frames each time it is called (GIF reads them twice). */
  frames: () => AsyncIterable<Uint8Array>;
  frameTotal: number;
  /**
   * Plays of the encoded frames in the file. Above 1 (video files), the frames are encoded once and the
   * result is concatenated by stream copy: the same file as encoding the frames again, in a fraction of the time.
   */
  repeats: number;
  /** Where ffmpeg writes: a file, or for image sequences an ffmpeg pattern inside the folder. */
  output: string;
  /** For messages: the path the person asked for. */
  target: string;
  /** Folder for the palette of a GIF (the staged output's folder). */
  scratchDir: string;
  signal: AbortSignal;
  progress(stage: string, fraction: number): void;
}

function chain(filters: string[]): string[] {
  return filters.length === 0 ? [] : ['-vf', filters.join(',')];
}

export async function encode(job: EncodeJob): Promise<void> {
  const { remux } = FORMAT_SPECS[job.format];
  if (job.repeats <= 1 || remux === null) {
    await encodeOnce(job);
    return;
  }
  const token = ownedToken(4);
  const cycle = join(job.scratchDir, `.stir-cycle-${token}${extname(job.output)}`);
  const list = join(job.scratchDir, `.stir-cycle-${token}.txt`);
  try {
    await encodeOnce({ ...job, output: cycle, progress: (stage, f) => job.progress(stage, 0.95 * f) });
    // The concat demuxer's list: the same file `repeats` times (quotes escaped as its syntax wants).
    const line = `file '${cycle.replaceAll("'", "'\\''")}'\n`;
    await writeFile(list, line.repeat(job.repeats));
    const args = ['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', ...remux, job.output];
    await encodeFrames(job.ffmpegPath, args, noFrames(), job.target, job.signal, () => undefined);
    job.progress('Encoding', 1);
  } finally {
    await Promise.all([rm(cycle, { force: true }), rm(list, { force: true })]);
  }
}

async function* noFrames(): AsyncGenerator<Uint8Array> {}

async function encodeOnce(job: EncodeJob): Promise<void> {
  const { setup, size } = job;
  const spec = FORMAT_SPECS[job.format];
  const crop = cropFilter(setup.width, setup.height, size);
  const progress = (stage: string, from: number, to: number) => (written: number) =>
    job.progress(stage, from + ((to - from) * written) / job.frameTotal);

  if (job.format !== 'gif') {
    const args = [
      ...rawInputArgs(setup),
      ...chain([...crop, ...spec.filters(setup)]),
      ...spec.outputArgs(setup),
      job.output,
    ];
    await encodeFrames(
      job.ffmpegPath,
      args,
      job.frames(),
      job.target,
      job.signal,
      progress('Encoding', 0, 1),
    );
    return;
  }

  // reserve_transparent keeps a palette slot for transparency only when the clip has alpha; an opaque clip
  // gets all 256 colours. paletteuse's diff_mode=rectangle re-dithers only the changed rectangle, so the
  // still parts of the photo do not shimmer from frame to frame.
  const palette = join(job.scratchDir, `.stir-palette-${process.pid}-${Date.now()}.png`);
  try {
    const passOne = [
      ...rawInputArgs(setup),
      ...chain([
        ...crop,
        `palettegen=max_colors=256:stats_mode=full:reserve_transparent=${setup.alpha ? 1 : 0}`,
      ]),
      ...['-frames:v', '1', '-c:v', 'png', '-f', 'image2', palette],
    ];
    await encodeFrames(
      job.ffmpegPath,
      passOne,
      job.frames(),
      job.target,
      job.signal,
      progress('Choosing the GIF palette', 0, 0.5),
    );
    const use = `paletteuse=dither=sierra2_4a:diff_mode=rectangle${setup.alpha ? ':alpha_threshold=128' : ''}`;
    const passTwo = [
      ...rawInputArgs(setup),
      ...['-i', palette],
      ...['-lavfi', `[0:v]${[...crop, 'null'].join(',')}[frames];[frames][1:v]${use}`],
      ...spec.outputArgs(setup),
      job.output,
    ];
    await encodeFrames(
      job.ffmpegPath,
      passTwo,
      job.frames(),
      job.target,
      job.signal,
      progress('Encoding', 0.5, 1),
    );
  } finally {
    await rm(palette, { force: true });
  }
}
