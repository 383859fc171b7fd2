// `npm run bench`: every benchmark in one process, one table. Targets live here, never in timed tests;
// compare ratios measured in one run (these machines are noisy). `npm run bench -- motion export` runs
// only the named groups; results are also written to output/bench.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import type { BenchRow, BenchSuite } from './harness.js';
import { benchSegment } from './segment.js';
import { benchMotion } from './motion.js';
import { benchLargeRegions } from './large-regions.js';
import { benchEditorLatency } from './editor-latency.js';
import { benchBigPhoto } from './big-photo.js';
import { benchExport } from './export.js';
import { benchDiffusion } from './diffusion.js';
import { benchModelsInstall } from './models-install.js';
import { benchJobs } from './jobs.js';
import { benchPeople } from './people.js';
import { benchStillFidelity } from './still-fidelity.js';

const suites: Record<string, BenchSuite> = {
  segment: benchSegment,
  motion: benchMotion,
  large: benchLargeRegions,
  editor: benchEditorLatency,
  big: benchBigPhoto,
  export: benchExport,
  diffusion: benchDiffusion,
  models: benchModelsInstall,
  jobs: benchJobs,
  people: benchPeople,
  still: benchStillFidelity,
};

function format(value: number, unit: BenchRow['unit']): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in suites));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark group(s): ${unknown.join(', ')}. Known: ${Object.keys(suites).join(', ')}.`,
    );
    process.exit(2);
  }
  const names = wanted.length > 0 ? wanted : Object.keys(suites);
  console.log(
    `Stir benchmarks: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load ${loadavg()[0]?.toFixed(1)}, node ${process.version}\n`,
  );
  const rows: BenchRow[] = [];
  for (const name of names) {
    const started = performance.now();
    process.stdout.write(`running ${name}... `);
    const suite = suites[name];
    if (!suite) continue;
    rows.push(...(await suite()));
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const table = rows.map((row) => ({
    group: row.group,
    measurement: row.name,
    value: format(row.value, row.unit),
    target: row.target ?? '',
    note: row.note ?? '',
  }));
  const widths = Object.keys(table[0] ?? {}).map((key) =>
    Math.max(key.length, ...table.map((r) => String(r[key as keyof typeof r]).length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ');
  console.log('');
  console.log(line(['group', 'measurement', 'value', 'target', 'note']));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of table) console.log(line(Object.values(row).map(String)));
  await mkdir('output', { recursive: true });
  await writeFile(
    'output/bench.json',
    JSON.stringify({ date: new Date().toISOString(), load: loadavg(), rows }, null, 2),
  );
  console.log('\nWrote output/bench.json');
}

await main();
