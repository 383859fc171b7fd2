// `npm run fuzz`: mutated photos, projects and model packs (folders and zips, installed and verified) fed
// through the engine's real entry points, each batch in a worker process of its own, and a table of what
// happened: typed refusals, crashes (must be 0), answers over 5 s (0), memory above the worker's start
// (under 1 GB), files written outside the target folder (0). `--short` is the version `npm test` runs;
// `--seed N` replays another run. Exits 1 when any target is missed.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { snapshot, type Batch, type BatchEnd, type FuzzKind, type InputResult } from './protocol.js';

const SLOW_MILLIS = 5_000;
const MEMORY_LIMIT = 1024 ** 3;
/** A worker silent this long is hung: it is killed and its input counted as a crash. */
const HANG_MILLIS = 60_000;

const args = process.argv.slice(2);
const short = args.includes('--short');
const seedArg = args[args.indexOf('--seed') + 1];
const seed = args.includes('--seed') && seedArg ? Number(seedArg) : 1;

const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const ALL_COUNTS: Record<FuzzKind, number> = short
  ? { photos: 40, projects: 40, 'packs-folder': 8, 'packs-zip': 8, 'packs-verify': 4 }
  : { photos: 1000, projects: 1000, 'packs-folder': 150, 'packs-zip': 150, 'packs-verify': 60 };
/** `--only photos` (or projects, packs-folder, packs-zip, packs-verify) runs one kind. */
const COUNTS = Object.fromEntries(
  Object.entries(ALL_COUNTS).filter(([kind]) => onlyArg === undefined || kind === onlyArg),
) as Record<FuzzKind, number>;
const PER_WORKER = 250;

interface Row {
  inputs: number;
  accepted: number;
  typed: number;
  crashes: number;
  slow: number;
  slowest: number;
  peakAbove: number;
  outside: number;
  leftBehind: number;
  codes: Map<string, number>;
  crashNotes: string[];
  /** Paths found outside the target or left in it. */
  pathNotes: string[];
}

const rows = new Map<FuzzKind, Row>();
const row = (kind: FuzzKind): Row => {
  let r = rows.get(kind);
  if (!r) {
    r = {
      inputs: 0,
      accepted: 0,
      typed: 0,
      crashes: 0,
      slow: 0,
      slowest: 0,
      peakAbove: 0,
      outside: 0,
      leftBehind: 0,
      codes: new Map(),
      crashNotes: [],
      pathNotes: [],
    };
    rows.set(kind, r);
  }
  return r;
};

const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Runs batches in one worker; returns the index to restart from when it died part-way, or null. */
async function runWorker(batches: Batch[], sandbox: string): Promise<void> {
  // The worker runs in its sandbox (so a relative write lands there, where it is seen): tsx is named by
  // its resolved address, as the sandbox has no node_modules.
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), worker, JSON.stringify(batches)],
    {
      cwd: sandbox,
      env: { ...process.env, HOME: join(sandbox, 'home'), TMPDIR: join(sandbox, 'tmp') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let last: { kind: FuzzKind; i: number } | null = null;
  let ended: BatchEnd | null = null;
  let timer = setTimeout(() => child.kill('SIGKILL'), HANG_MILLIS);
  const lines = createInterface({ input: child.stdout });
  for await (const text of lines) {
    clearTimeout(timer);
    timer = setTimeout(() => child.kill('SIGKILL'), HANG_MILLIS);
    if (!text.startsWith('{')) continue;
    const parsed = JSON.parse(text) as InputResult | BatchEnd;
    if ('done' in parsed) {
      ended = parsed;
      continue;
    }
    last = { kind: parsed.kind, i: parsed.i };
    const r = row(parsed.kind);
    r.inputs++;
    if (parsed.outcome === 'accepted') r.accepted++;
    else if (parsed.outcome === 'typed') {
      r.typed++;
      r.codes.set(parsed.code ?? '?', (r.codes.get(parsed.code ?? '?') ?? 0) + 1);
    } else {
      r.crashes++;
      r.crashNotes.push(`#${parsed.i}: ${parsed.message}`);
    }
    if (parsed.millis > SLOW_MILLIS) {
      r.slow++;
      r.crashNotes.push(
        `#${parsed.i} took ${Math.round(parsed.millis)} ms: ${parsed.outcome} ${parsed.code ?? ''} ${parsed.message ?? ''}`,
      );
    }
    r.slowest = Math.max(r.slowest, parsed.millis);
    r.outside += parsed.outside;
  }
  clearTimeout(timer);
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('exit', (c) => resolve(c));
  });
  for (const kind of new Set(batches.map((b) => b.kind))) {
    if (ended) row(kind).peakAbove = Math.max(row(kind).peakAbove, ended.peak - ended.baseline);
  }
  if (!ended || code !== 0) {
    // The worker died (a crash in native code, memory, or a hang): the input it was on is a crash.
    const batch = batches.find((b) => b.kind === last?.kind) ?? batches[0];
    const kind = batch?.kind ?? 'photos';
    const r = row(kind);
    r.inputs++;
    r.crashes++;
    r.crashNotes.push(
      `worker died after #${last?.i ?? 'none'} (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
}

function checkSandbox(sandbox: string, kind: FuzzKind): void {
  // Each input is removed once handled, and so is each installed pack: what remains in the models folder
  // was left behind (staging folders, partial downloads), and anything in home/, tmp/ or beside them was
  // written outside the target.
  for (const [path] of snapshot(sandbox)) {
    const top = path.split('/')[0] ?? '';
    if (path === top && ['inputs', 'models', 'seed-pack', 'home', 'tmp'].includes(top)) continue;
    if (top === 'inputs' || top === 'seed-pack') continue;
    // tsx's compile cache belongs to the fuzz run's own tooling, not to the engine.
    if (/^tmp\/tsx-\d+(\/|$)/.test(path)) continue;
    if (top === 'models') row(kind).leftBehind++;
    else row(kind).outside++;
    row(kind).pathNotes.push(path);
  }
}

const started = performance.now();
const kinds = Object.keys(COUNTS) as FuzzKind[];
const plan: Batch[][] = [];
const root = mkdtempSync(join(tmpdir(), 'stir-fuzz-'));
if (short) {
  const sandbox = join(root, 'w0');
  plan.push(kinds.map((kind) => ({ kind, seed, from: 0, count: COUNTS[kind], sandbox })));
} else {
  for (const kind of kinds) {
    for (let from = 0; from < COUNTS[kind]; from += PER_WORKER) {
      const sandbox = join(root, `w${plan.length}`);
      plan.push([{ kind, seed, from, count: Math.min(PER_WORKER, COUNTS[kind] - from), sandbox }]);
    }
  }
}
try {
  for (const batches of plan) {
    const sandbox = batches[0]?.sandbox ?? root;
    for (const sub of ['home', 'tmp']) mkdirSync(join(sandbox, sub), { recursive: true });
    await runWorker(batches, sandbox);
    checkSandbox(sandbox, batches.at(-1)?.kind ?? 'photos');
    if (!short) {
      const kind = batches[0]?.kind ?? 'photos';
      const elapsed = Math.round((performance.now() - started) / 1000);
      console.log(`  ${kind}: ${row(kind).inputs} of ${COUNTS[kind]} (${elapsed} s)`);
    }
    rmSync(sandbox, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

// --- the table -------------------------------------------------------------------------------------------

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const header = [
  'input',
  'inputs',
  'accepted',
  'typed errors',
  'crashes',
  'over 5 s',
  'slowest',
  'peak memory above start',
  'written outside target',
  'left in target',
];
const table = kinds.map((kind) => {
  const r = row(kind);
  return [
    kind,
    r.inputs,
    r.accepted,
    r.typed,
    r.crashes,
    r.slow,
    `${Math.round(r.slowest)} ms`,
    mb(r.peakAbove),
    r.outside,
    r.leftBehind,
  ].map(String);
});
const total = [...rows.values()];
table.push([
  'all',
  ...[
    (r: Row) => r.inputs,
    (r: Row) => r.accepted,
    (r: Row) => r.typed,
    (r: Row) => r.crashes,
    (r: Row) => r.slow,
  ].map((f) => String(total.reduce((s, r) => s + f(r), 0))),
  `${Math.round(Math.max(...total.map((r) => r.slowest)))} ms`,
  mb(Math.max(...total.map((r) => r.peakAbove))),
  String(total.reduce((s, r) => s + r.outside, 0)),
  String(total.reduce((s, r) => s + r.leftBehind, 0)),
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map((line) => line[c]?.length ?? 0)));
const format = (cells: readonly string[]) =>
  cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
console.log(
  `fuzz${short ? ' --short' : ''} (seed ${seed}), ${Math.round((performance.now() - started) / 1000)} s`,
);
console.log(format(header));
for (const line of table) console.log(format(line));
for (const kind of kinds) {
  const r = row(kind);
  const codes = [...r.codes]
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  console.log(`  ${kind}: ${codes || 'no refusals'}`);
  for (const note of r.crashNotes.slice(0, 10)) console.log(`    crash ${note}`);
  for (const path of r.pathNotes.slice(0, 10)) console.log(`    left: ${path}`);
}
const all = [...rows.values()];
const failed =
  all.some(
    (r) => r.crashes > 0 || r.slow > 0 || r.outside > 0 || r.leftBehind > 0 || r.peakAbove > MEMORY_LIMIT,
  ) || kinds.some((kind) => row(kind).inputs < COUNTS[kind]);
if (failed) {
  console.error(
    'fuzz: a target was missed (crashes, answers over 5 s, memory over 1 GB, files outside the target or left in it, or inputs not run).',
  );
  process.exitCode = 1;
}
