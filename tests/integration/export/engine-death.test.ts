// kill -9 of the engine mid-export (issue 14, point 2): no ffmpeg of it survives (on Linux ffmpeg gets
// the parent-death signal), and the next start's sweep leaves nothing in the export folder: no clip
// finished under the hidden name, no partial file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStirTempName, type SweepReport } from '../../../src/engine/system/leftovers.js';

const CHILD = join(import.meta.dirname, 'engine-child.ts');

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-engine-death-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function startChild(args: string[]): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

/** Processes whose parent is `pid`, with their command name (Linux /proc). */
async function childrenOf(pid: number): Promise<Array<{ pid: number; name: string }>> {
  const found: Array<{ pid: number; name: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    // "pid (comm) state ppid ...": comm may hold spaces, so read from the last ')'.
    const close = stat?.lastIndexOf(')') ?? -1;
    if (!stat || close < 0) continue;
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (ppid === pid) found.push({ pid: Number(entry), name });
  }
  return found;
}

/** Whether a process still runs: it exists and is not a zombie waiting to be reaped. */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

async function nextLine(lines: AsyncIterator<string>, wanted: string): Promise<void> {
  for (;;) {
    const line = await lines.next();
    if (line.done) throw new Error(`the engine process ended before saying "${wanted}"`);
    if (line.value === wanted) return;
    if (line.value === 'jobFailed' || line.value === 'jobDone') {
      throw new Error(`the export ended (${line.value}) before the test could kill it`);
    }
  }
}

describe.runIf(process.platform === 'linux')('an engine killed mid-export', () => {
  it('takes its ffmpeg with it and leaves nothing after the next start', async () => {
    const data = join(dir, 'data');
    const exportsDir = join(dir, 'exports');
    const out = join(dir, 'clips');
    await Promise.all([mkdir(exportsDir), mkdir(out)]);

    const engine = startChild(['export', data, exportsDir, out]);
    const exited = new Promise((resolve) => engine.child.once('exit', resolve));
    await nextLine(engine.lines, 'encoding');
    const ffmpeg = (await childrenOf(engine.child.pid!)).filter((p) => p.name.startsWith('ffmpeg'));
    expect(ffmpeg.length, 'ffmpeg runs as a child of the engine').toBeGreaterThan(0);
    const partial = (await readdir(out)).filter(isStirTempName);
    expect(partial.length, 'the clip is being written under a temporary name').toBe(1);

    engine.child.kill('SIGKILL');
    await exited;
    // Waits on the state: every ffmpeg of the killed engine ends (the test's timeout bounds the wait).
    for (const { pid } of ffmpeg) {
      while (await alive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Killed, not finished: an MP4 gets its index (the moov box) only when ffmpeg finalises the file, as
    // an orphaned ffmpeg did when it read the end of its input after the engine died.
    const written = await readFile(join(out, partial[0]!));
    expect(written.includes('moov'), 'ffmpeg did not finish the clip').toBe(false);

    const next = startChild(['sweep', data, exportsDir]);
    const line = await next.lines.next();
    await new Promise((resolve) => next.child.once('exit', resolve));
    const report = JSON.parse(String(line.value)) as SweepReport;
    expect(report.removed).toEqual([join(out, partial[0]!)]);
    expect(await readdir(out)).toEqual([]);
  }, 120_000);
});
