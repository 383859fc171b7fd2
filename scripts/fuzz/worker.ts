// One batch of the fuzz run, in a process of its own (so a crash, a hang or a memory blow-up is seen by
// the parent, not hidden in it): builds each mutated input from a seed, feeds it to the engine's real
// entry point, and prints one JSON line per input (outcome, milliseconds) and a last line with memory.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { Agent } from 'undici';
import { DEFAULT_SETTINGS, RegionMotionSchema, StirError, type Region } from '../../src/shared/index.js';
import { decodePhoto } from '../../src/engine/image/decode.js';
import { DocumentStore } from '../../src/engine/documents.js';
import { encodeProject } from '../../src/engine/project/codec.js';
import { ProjectService } from '../../src/engine/project/service.js';
import { writeZip } from '../../src/engine/project/zip.js';
import { installPack } from '../../src/engine/models/install/installer.js';
import { PackStore } from '../../src/engine/models/install/pack-store.js';
import { PauseGate } from '../../src/engine/models/install/pause-gate.js';
import { writeTinyPack } from '../../tests/unit/models-install/helpers/tiny-pack.js';
import { claimSize, int, mutateBytes, mutateZip, pick, random, type Random } from './mutate.js';
import { snapshot, type Batch, type BatchEnd, type InputResult } from './protocol.js';

const batches = JSON.parse(process.argv[2] ?? '[]') as Batch[];
const sandbox = batches[0]?.sandbox ?? '.';
const inputs = join(sandbox, 'inputs');
const models = join(sandbox, 'models');
mkdirSync(inputs, { recursive: true });
mkdirSync(models, { recursive: true });
const photosDir = new URL('../../examples/photos/', import.meta.url).pathname;

// --- seeds ---------------------------------------------------------------------------------------------

async function photoSeeds(): Promise<Array<{ ext: string; bytes: Uint8Array }>> {
  const seeds = readdirSync(photosDir)
    .filter((name) => /\.(png|jpg)$/.test(name))
    .map((name) => ({
      ext: name.slice(name.lastIndexOf('.')),
      bytes: new Uint8Array(readFileSync(join(photosDir, name))),
    }));
  const chelsea = join(photosDir, 'chelsea.png');
  seeds.push({
    ext: '.jpg',
    bytes: new Uint8Array(await sharp(chelsea).jpeg({ progressive: true }).toBuffer()),
  });
  seeds.push({ ext: '.webp', bytes: new Uint8Array(await sharp(chelsea).webp().toBuffer()) });
  seeds.push({
    ext: '.webp',
    bytes: new Uint8Array(await sharp(chelsea).webp({ lossless: true }).toBuffer()),
  });
  return seeds;
}

function ellipse(width: number, height: number, id: string, cx: number, cy: number): Region {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data[y * width + x] = ((x - cx) / (width * 0.2)) ** 2 + ((y - cy) / (height * 0.15)) ** 2 < 1 ? 255 : 0;
  return {
    id,
    name: `Region ${id}`,
    color: '#ff7a45',
    visible: true,
    clicks: [{ x: cx, y: cy, positive: true }],
    box: null,
    mask: { width, height, data },
    motion: RegionMotionSchema.parse({ prompt: 'sway', strength: 4, direction: 0, seed: 1 }),
    pose: null,
  };
}

async function projectSeeds(): Promise<Uint8Array[]> {
  const seeds: Uint8Array[] = [];
  for (const [name, mime] of [
    ['coffee.png', 'image/png'],
    ['rocket.jpg', 'image/jpeg'],
  ] as const) {
    const bytes = new Uint8Array(readFileSync(join(photosDir, name)));
    const { width = 0, height = 0 } = await sharp(bytes).metadata();
    const regions = [
      ellipse(width, height, 'r1', width / 3, height / 2),
      ellipse(width, height, 'r2', width / 2, height / 3),
    ];
    seeds.push(
      await encodeProject(
        {
          name,
          format: mime === 'image/png' ? 'png' : 'jpeg',
          photo: { bytes, mime, width, height },
          regions,
          settings: DEFAULT_SETTINGS,
          regionsMade: 2,
        },
        new Date('2024-05-01T12:00:00Z'),
      ),
    );
  }
  return seeds;
}

// --- photos --------------------------------------------------------------------------------------------

/** Builds input `i` and gives the call that feeds it to the engine (timed on its own). */
type Prepared = () => Promise<unknown>;

async function photoInput(
  i: number,
  rand: Random,
  seeds: Array<{ ext: string; bytes: Uint8Array }>,
): Promise<Prepared> {
  const seed = pick(rand, seeds);
  const roll = rand();
  if (roll < 0.02) {
    // Paths that are not regular files: a FIFO nobody writes to, devices, a folder, a link to a device.
    const special = pick(rand, ['fifo', '/dev/zero', '/dev/urandom', 'folder', 'link']);
    const path = join(inputs, `special-${i}.jpg`);
    if (special === 'fifo') execFileSync('mkfifo', [path]);
    else if (special === 'folder') mkdirSync(path);
    else if (special === 'link') symlinkSync('/dev/zero', path);
    return () => decodePhoto({ kind: 'path', path: special.startsWith('/') ? special : path });
  }
  let bytes = seed.bytes;
  if (roll < 0.35) bytes = claimSize(bytes, rand);
  else if (roll < 0.93)
    for (let n = 1 + int(rand, 3); n > 0; n--) bytes = mutateBytes(bytes, rand, pick(rand, seeds).bytes);
  if (rand() < 0.5) {
    const path = join(inputs, `photo-${i}${seed.ext}`);
    writeFileSync(path, bytes);
    return () => decodePhoto({ kind: 'path', path });
  } else {
    return () => decodePhoto({ kind: 'bytes', name: `photo-${i}${seed.ext}`, bytes });
  }
}

// --- projects ------------------------------------------------------------------------------------------

const DEEP_MARK = '<arrays nested 10,000 deep>';

function mutateManifest(json: Record<string, unknown>, rand: Random): Record<string, unknown> {
  const regions = Array.isArray(json.regions) ? (json.regions as Array<Record<string, unknown>>) : [];
  const photo = (json.photo ?? {}) as Record<string, unknown>;
  switch (int(rand, 8)) {
    case 0: {
      // more regions than a photo can have (5,000 at most, as the audit's file had)
      const count = pick(rand, [17, 100, 5000]);
      const first = regions[0] ?? {};
      json.regions = Array.from({ length: count }, (_, n) => ({ ...first, id: `r${n}` }));
      return json;
    }
    case 1:
      photo.width = pick(rand, [0, 1, 8193, 65_535, 1e9, -5, 1.5]);
      return json;
    case 2: {
      const region = regions[0] as { mask?: Record<string, unknown> } | undefined;
      if (region?.mask)
        region.mask.file = pick(rand, [
          '../../etc/passwd',
          'photo.png',
          'project.json',
          '/etc/hosts',
          'nope.png',
        ]);
      return json;
    }
    case 3:
      photo.file = pick(rand, ['project.json', '../x', 'masks/01-r1.png', '']);
      return json;
    case 4:
      json.name = 'x'.repeat(pick(rand, [0, 300, 1_000_000]));
      return json;
    case 5:
      json.settings = pick(rand, [null, { seconds: 1e9 }, { fps: -1 }, 'x', []]);
      return json;
    case 6: {
      // a value deep in the tree replaced with something of the wrong kind
      const keys = Object.keys(json);
      const key = pick(rand, keys);
      json[key] = pick(rand, [null, 0, -1, 'x', [], {}, true, 1e308]);
      return json;
    }
    default: {
      // Arrays nested 10,000 deep (spliced in as text: JSON.stringify itself would overflow the stack),
      // or 100,000 clicks a region.
      json.regions =
        rand() < 0.5
          ? DEEP_MARK
          : regions.map((r) => ({ ...r, clicks: Array(100_000).fill({ x: 1, y: 1, positive: true }) }));
      return json;
    }
  }
}

async function projectInput(
  i: number,
  rand: Random,
  seeds: Uint8Array[],
  service: ProjectService,
): Promise<Prepared> {
  const seed = pick(rand, seeds);
  const roll = rand();
  let bytes = seed;
  if (roll < 0.3) bytes = mutateZip(seed, rand);
  else if (roll < 0.5) bytes = mutateBytes(seed, rand, pick(rand, seeds));
  else if (roll < 0.93) {
    const files = new Map<string, Uint8Array>(Object.entries(unzipSync(seed)));
    const which = rand();
    if (which < 0.5) {
      const json = JSON.parse(new TextDecoder().decode(files.get('project.json'))) as Record<string, unknown>;
      const text = JSON.stringify(mutateManifest(json, rand)).replace(
        JSON.stringify(DEEP_MARK),
        `${'['.repeat(10_000)}1${']'.repeat(10_000)}`,
      );
      files.set('project.json', new TextEncoder().encode(text));
    } else if (which < 0.7) {
      const photoName = [...files.keys()].find((n) => n.startsWith('photo')) ?? 'photo.png';
      files.set(photoName, claimSize(files.get(photoName) ?? new Uint8Array(0), rand));
    } else if (which < 0.85) {
      const mask = [...files.keys()].find((n) => n.startsWith('masks/')) ?? 'masks/01-r1.png';
      files.set(
        mask,
        rand() < 0.5
          ? claimSize(files.get(mask) ?? new Uint8Array(0), rand)
          : mutateBytes(files.get(mask) ?? new Uint8Array(0), rand),
      );
    } else {
      // an unused entry that would unpack to 1 GiB, or 40 entries sharing the photo's bytes
      files.set('junk.bin', new Uint8Array(1024));
    }
    bytes = writeZip([...files].map(([name, data]) => ({ name, data, compress: rand() < 0.5 })));
    if (files.has('junk.bin')) bytes = mutateZip(bytes, rand);
  }
  if (rand() < 0.5) {
    const path = join(inputs, `project-${i}.stir`);
    writeFileSync(path, bytes);
    return () => service.openProject({ source: { kind: 'path', path } });
  } else {
    return () => service.openProject({ source: { kind: 'bytes', name: `project-${i}.stir`, bytes } });
  }
}

// --- packs ---------------------------------------------------------------------------------------------

const ENCODER = 'segmenter/encoder.onnx';
const DECODER = 'segmenter/decoder.onnx';
/** The seed pack zipped with an unlisted entry that unpacks to 64 MiB (deflated once, it is costly). */
let withFiller: Uint8Array | null = null;

/** Damage to a pack folder: its manifest, its files, links and pipes where files should be. */
function mutatePackFolder(dir: string, rand: Random, decoy: string): void {
  const manifestPath = join(dir, 'stir-pack.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    id: string;
    files: Array<Record<string, unknown>>;
  };
  switch (int(rand, 9)) {
    case 0: {
      const file = pick(rand, manifest.files);
      const field = pick(rand, ['size', 'sha256', 'path']);
      file[field] =
        field === 'size'
          ? pick(rand, [0, 1, 1e15, -1, 2 ** 53])
          : field === 'path'
            ? pick(rand, ['../escape.onnx', '/etc/passwd', 'a/../../b', 'segmenter', ''])
            : 'f'.repeat(64);
      break;
    }
    case 1:
      manifest.id = pick(rand, ['../evil', '.hidden', 'a/b', '', 'x'.repeat(500)]);
      break;
    case 2:
      manifest.files.push({ ...manifest.files[0], path: pick(rand, [ENCODER, 'segmenter']) });
      break;
    case 3: // the sub-folder is a link to a folder outside
      cpSync(join(dir, 'segmenter'), join(decoy, `seg-${process.pid}-${int(rand, 1e9)}`), {
        recursive: true,
      });
      rmSync(join(dir, 'segmenter'), { recursive: true });
      symlinkSync(
        join(decoy, readdirSync(decoy).find((n) => n.startsWith('seg-')) ?? ''),
        join(dir, 'segmenter'),
      );
      return;
    case 4: // a file is a link (to a file outside) or a FIFO
      rmSync(join(dir, ENCODER));
      if (rand() < 0.5) symlinkSync('/etc/hostname', join(dir, ENCODER));
      else execFileSync('mkfifo', [join(dir, ENCODER)]);
      return;
    case 5: // the manifest is a link
      writeFileSync(join(decoy, 'manifest.json'), JSON.stringify(manifest));
      rmSync(manifestPath);
      symlinkSync(join(decoy, 'manifest.json'), manifestPath);
      return;
    case 6: {
      // an ONNX file damaged
      const path = join(dir, pick(rand, [ENCODER, DECODER]));
      writeFileSync(path, mutateBytes(new Uint8Array(readFileSync(path)), rand));
      return;
    }
    case 7: // a folder where a file should be
      rmSync(join(dir, DECODER));
      mkdirSync(join(dir, DECODER));
      return;
    default:
      writeFileSync(manifestPath, mutateBytes(new Uint8Array(readFileSync(manifestPath)), rand));
      return;
  }
  writeFileSync(manifestPath, JSON.stringify(manifest));
}

function zipOfFolder(dir: string): Zippable {
  const entries: Zippable = {};
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${name.name}` : name.name;
      if (name.isDirectory()) walk(path);
      else if (name.isFile()) entries[path] = new Uint8Array(readFileSync(join(dir, path)));
    }
  };
  walk('');
  return entries;
}

function packZip(seedDir: string, rand: Random): Uint8Array {
  const entries = zipOfFolder(seedDir);
  const roll = rand();
  if (roll < 0.15) {
    // an unlisted entry that unpacks to 64 MiB (the audit's zip left a 1 GiB file)
    // (zipped once with node's zlib: fflate would spend seconds deflating it)
    withFiller ??= writeZip([
      ...Object.entries(entries).map(([name, data]) => ({ name, data: data as Uint8Array, compress: false })),
      { name: 'extra/filler.bin', data: new Uint8Array(64 * 1024 * 1024), compress: true },
    ]);
    return rand() < 0.5 ? withFiller : mutateZip(withFiller, rand);
  }
  if (roll < 0.25) entries.segmenter = new Uint8Array(10); // a file and a folder of one name
  if (roll >= 0.25 && roll < 0.35)
    entries[pick(rand, ['../../escape.onnx', '/abs.onnx', 'a\\..\\..\\b'])] = new Uint8Array(5);
  const zip = zipSync(entries, { level: rand() < 0.5 ? 0 : 6 });
  return roll < 0.8 ? mutateZip(zip, rand) : mutateBytes(zip, rand);
}

/**
 * Builds pack input `i` in inputs/ (a damaged folder, a damaged zip, or an installed pack damaged in
 * the models folder) and gives the call that installs or verifies it. That call reports how many paths
 * of inputs/ (the source and a decoy folder links point into) changed while it ran: each is a file
 * written outside the target.
 */
function packInput(
  i: number,
  rand: Random,
  seedDir: string,
  store: PackStore,
  mode: 'folder' | 'zip' | 'verify',
): () => Promise<number> {
  const decoy = join(inputs, `decoy-${i}`);
  mkdirSync(decoy);
  let source = join(inputs, `pack-${i}`);
  cpSync(seedDir, source, { recursive: true });
  const id = `verify-${i}`;
  if (mode === 'verify') {
    cpSync(seedDir, join(models, id), { recursive: true });
    if (rand() < 0.93) mutatePackFolder(join(models, id), rand, decoy);
  } else if (mode === 'zip') {
    source = join(inputs, `pack-${i}.zip`);
    writeFileSync(source, rand() < 0.07 ? zipSync(zipOfFolder(seedDir)) : packZip(seedDir, rand));
  } else if (rand() < 0.93) {
    mutatePackFolder(source, rand, decoy);
  }
  return async () => {
    const before = snapshot(inputs);
    const changes = () => {
      const after = snapshot(inputs);
      return (
        [...after].filter(([path, stamp]) => before.get(path) !== stamp).length +
        [...before.keys()].filter((path) => !after.has(path)).length
      );
    };
    const dispatcher = new Agent();
    const ctx = {
      modelsDir: models,
      dispatcher,
      signal: new AbortController().signal,
      pause: new PauseGate(),
      onUpdate: () => undefined,
      claim: () => () => undefined,
    };
    try {
      if (mode === 'verify') await store.verify(id);
      else await installPack({ source, sha256: null, replace: true }, ctx);
    } catch (caught) {
      if (changes() === 0) throw caught;
    } finally {
      await dispatcher.close();
    }
    return changes();
  };
}

// --- the batch -----------------------------------------------------------------------------------------

function classify(caught: unknown): Pick<InputResult, 'outcome' | 'code' | 'message'> {
  if (caught instanceof StirError && caught.code !== 'INTERNAL')
    return { outcome: 'typed', code: caught.code, message: caught.message.slice(0, 200) };
  const message = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  return {
    outcome: 'crash',
    code: caught instanceof StirError ? caught.code : null,
    message: message.slice(0, 300),
  };
}

async function main(): Promise<void> {
  const photos = batches.some((b) => b.kind === 'photos') ? await photoSeeds() : [];
  const projects = batches.some((b) => b.kind === 'projects') ? await projectSeeds() : [];
  const seedPack = join(sandbox, 'seed-pack');
  if (batches.some((b) => b.kind.startsWith('packs'))) writeTinyPack(seedPack, { paddingBytes: 2000 });
  const service = new ProjectService({ docs: new DocumentStore(), ports: null });
  const store = new PackStore(models);
  // The worker's footprint once ready: the memory an input costs is measured above it.
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  for (const batch of batches) {
    for (let i = batch.from; i < batch.from + batch.count; i++) {
      const rand = random(batch.seed * 1_000_003 + i * 7919 + batch.kind.length);
      let result: Pick<InputResult, 'outcome' | 'code' | 'message'> = {
        outcome: 'accepted',
        code: null,
        message: null,
      };
      let outside = 0;
      let millis = 0;
      try {
        const mode = batch.kind === 'packs-zip' ? 'zip' : batch.kind === 'packs-verify' ? 'verify' : 'folder';
        // A failure here is the fuzz run's own (it is reported as a crash, named as such).
        const run = await (async () => {
          try {
            return batch.kind === 'photos'
              ? await photoInput(i, rand, photos)
              : batch.kind === 'projects'
                ? await projectInput(i, rand, projects, service)
                : packInput(i, rand, seedPack, store, mode);
          } catch (caught) {
            throw new Error(`building the input failed: ${String(caught)}`, { cause: caught });
          }
        })();
        // Only the engine's answer is timed, not the making of the input.
        const started = performance.now();
        try {
          const answer = await run();
          if (typeof answer === 'number') outside = answer;
        } finally {
          millis = performance.now() - started;
        }
      } catch (caught) {
        result = classify(caught);
      }
      // Installed packs go, so each input starts from an empty models folder; hidden folders (staging,
      // downloads) stay, to be counted as left behind.
      for (const name of readdirSync(models))
        if (!name.startsWith('.')) rmSync(join(models, name), { recursive: true, force: true });
      for (const name of readdirSync(inputs)) rmSync(join(inputs, name), { recursive: true, force: true });
      const line: InputResult = { kind: batch.kind, i, ...result, millis, outside };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  }
  clearInterval(sampler);
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const end: BatchEnd = { done: true, baseline, peak: Math.max(peak, maxRss) };
  process.stdout.write(`${JSON.stringify(end)}\n`);
}

await main();
