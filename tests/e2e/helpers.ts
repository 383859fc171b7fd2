// Checks shared by the end-to-end tests: probing a clip with ffprobe, sampling the canvas over time.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { canvasDigest } from './harness.js';

const run = promisify(execFile);

export interface ProbedClip {
  codec: string;
  width: number;
  height: number;
  frames: number;
  pixFmt: string;
}

/** Decodes a clip with ffprobe, counting every frame (so a truncated file fails). */
export async function probeClip(path: string): Promise<ProbedClip> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames,pix_fmt',
    '-of',
    'json',
    path,
  ]);
  const stream = (JSON.parse(stdout) as { streams: Array<Record<string, string | number>> }).streams[0];
  if (!stream) throw new Error(`${path} has no video stream`);
  return {
    codec: String(stream.codec_name),
    width: Number(stream.width),
    height: Number(stream.height),
    frames: Number(stream.nb_read_frames),
    pixFmt: String(stream.pix_fmt),
  };
}

/** Samples what the canvas shows over a photo area several times, some milliseconds apart. */
export async function sampleOverTime(
  page: Page,
  area: { x: number; y: number; width: number; height: number },
  samples = 6,
  gapMs = 140,
): Promise<number[]> {
  const digests: number[] = [];
  for (let i = 0; i < samples; i++) {
    digests.push(await canvasDigest(page, area));
    await page.waitForTimeout(gapMs);
  }
  return digests;
}
