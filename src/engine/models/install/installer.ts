// Installing a model pack, atomically: everything is staged in a temporary folder inside the models
// folder, checked there with loadPack (every file's size and sha256, every session's inputs and outputs
// against the contract), and only then renamed into place. Any failure or a cancel removes the staging
// folder, so the models folder is left exactly as it was.
//
//   source                    how it is staged
//   a pack folder             its manifest and the files it lists are copied (absent files with a url: downloaded)
//   a .zip file               unpacked (the manifest may sit at the top or in one folder)
//   a URL of a .zip           downloaded (resumable), its sha256 checked when given, then unpacked
//   a URL of a stir-pack.json every listed file downloaded (resumable, sha256 checked) from its url or
//                             from beside the manifest
import { createHash, randomUUID } from 'node:crypto';
import { open, mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { StirError, type PackInstallState } from '../../../shared/index.js';
import { MANIFEST_NAME, parseManifest, type PackManifest } from '../manifest.js';
import { loadPack } from '../validate.js';
import { confinedPath } from './confine.js';
import { INSTALL_RECORD_NAME, readManifestFile, type InstallRecord } from './describe.js';
import { assertFreeSpace } from './disk-space.js';
import { downloadFile, type AddressCheck, type DownloadOutcome, type DownloadProgress } from './download.js';
import { copyFiles } from './folder-files.js';
import type { PauseGate } from './pause-gate.js';
import { TransferMeter } from './transfer-meter.js';
import { extractZip } from './zip.js';

/** Folders of the models folder that are not packs: staging, partial downloads, packs being replaced. */
export const STAGING_PREFIX = '.stir-staging-';
export const DOWNLOADS_DIR = '.stir-downloads';
export const TRASH_PREFIX = '.stir-trash-';

/** A manifest is a few kilobytes; anything much larger at a manifest URL is not one. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface InstallRequest {
  /** A pack folder, a .zip, or an http(s) URL (of a .zip or a stir-pack.json). */
  source: string;
  /** The .zip's sha256, when known. */
  sha256: string | null;
  replace: boolean;
}

export interface InstallUpdate {
  state: PackInstallState;
  file: string | null;
  bytesDone: number;
  bytesTotal: number | null;
  bytesPerSecond: number | null;
  etaSeconds: number | null;
  /** 0-1 of the whole install. */
  fraction: number;
  canPause: boolean;
}

export interface InstallContext {
  modelsDir: string;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  pause: PauseGate;
  onUpdate(update: InstallUpdate): void;
  /** Called with the pack's id once known; throws BUSY when another install or a removal holds it. */
  claim(id: string): () => void;
  /** Retry policy of downloads (tests shorten it). */
  retry?: { maxRetries?: number; retryDelayMs?: number };
  /** Checked before every address a download reaches, redirects and a remote manifest's files included. */
  checkAddress?: AddressCheck;
}

export interface InstallOutcome {
  id: string;
  dir: string;
  manifest: PackManifest;
  replacedVersion: string | null;
  downloadedBytes: number;
  resumedAt: number[];
  restarts: number;
}

/**
 * loadPack words its refusals for an installed pack ("in <folder>", "install the pack again"). During an
 * install the folder is the staging folder, which the person never sees and which is gone a moment later,
 * so the refusal names the source instead and says what to do about it.
 */
function refusalOfSource(caught: unknown, stagedRoot: string, source: string): unknown {
  if (!(caught instanceof StirError) || caught.code !== 'PACK_INVALID') return caught;
  const message = caught.message.split(` in ${stagedRoot}`).join('').split(stagedRoot).join(source);
  return new StirError('PACK_INVALID', message, {
    hint: `The pack at ${source} is damaged or does not match its manifest; get a fresh copy from where it came from and install that. Nothing was changed in the models folder.`,
    details: { ...caught.details, dir: source },
    cause: caught,
  });
}

type SourceKind = { kind: 'url'; url: URL } | { kind: 'folder'; dir: string } | { kind: 'zip'; path: string };

export async function installPack(request: InstallRequest, ctx: InstallContext): Promise<InstallOutcome> {
  const source = await classifySource(request.source);
  await mkdir(ctx.modelsDir, { recursive: true });
  const staging = join(ctx.modelsDir, `${STAGING_PREFIX}${process.pid}-${randomUUID()}`);
  const downloadsExisted = await exists(join(ctx.modelsDir, DOWNLOADS_DIR));
  const transfers: DownloadOutcome[] = [];
  const progress = new InstallProgress(ctx.onUpdate);
  let release: (() => void) | null = null;
  let succeeded = false;
  await mkdir(staging);
  try {
    // 1. Stage the pack's files.
    let root: string;
    if (source.kind === 'folder') {
      root = await stageFolder(source.dir, staging, ctx, progress, transfers);
    } else if (source.kind === 'zip') {
      root = await stageZip(source.path, staging, ctx, progress.phase(0, 0.4, 'unpacking'));
    } else {
      root = await stageUrl(source.url, request.sha256, staging, ctx, progress, transfers);
    }

    // 2. Check it where it stands: files, sizes, sha256, and every session against the contract.
    const manifest = await readManifestFile(root);
    release = ctx.claim(manifest.id);
    const target = confinedPath(ctx.modelsDir, manifest.id, 'the manifest');
    const existing = (await exists(target)) ? await readManifestFile(target).catch(() => null) : null;
    if ((await exists(target)) && !request.replace) {
      throw new StirError(
        'BAD_REQUEST',
        `The pack "${manifest.id}" is already installed${existing ? ` (version ${existing.version})` : ''}.`,
        {
          hint: 'Remove it first, or install with replace (stir models install --replace).',
          details: {
            reason: 'already-installed',
            id: manifest.id,
            installedVersion: existing?.version ?? null,
          },
        },
      );
    }
    const validate = progress.phase(progress.at, 0.97, 'validating');
    await loadPack(root, {
      verifyHashes: true,
      checkSessions: true,
      signal: ctx.signal,
      onProgress: (done, total) => validate({ file: null, bytesDone: done, bytesTotal: total }),
    }).catch((caught: unknown) => {
      throw refusalOfSource(caught, root, request.source);
    });

    // 3. Move it into place (replacing an older copy through a rename, so there is never half a pack).
    progress.phase(0.97, 1, 'installing')({ file: null, bytesDone: 0, bytesTotal: null });
    if (ctx.signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
    const record: InstallRecord = { source: request.source, installedAt: new Date().toISOString() };
    await writeFile(join(root, INSTALL_RECORD_NAME), `${JSON.stringify(record, null, 2)}\n`);
    const replacedVersion = await moveIntoPlace(root, target, ctx.modelsDir, existing?.version ?? null);
    succeeded = true;
    return {
      id: manifest.id,
      dir: target,
      manifest,
      replacedVersion,
      downloadedBytes: transfers.reduce((sum, t) => sum + t.bytes, 0),
      resumedAt: transfers.flatMap((t) => t.resumedAt),
      restarts: transfers.reduce((sum, t) => sum + t.restarts, 0),
    };
  } finally {
    release?.();
    await rm(staging, { recursive: true, force: true });
    // The downloads folder goes when it is empty (it stays when another download waits there), unless a
    // failed install found it there, empty, before: then the models folder is left exactly as it was.
    if (!downloadsExisted || succeeded)
      await rmdir(join(ctx.modelsDir, DOWNLOADS_DIR)).catch(() => undefined);
  }
}

// --- sources ----------------------------------------------------------------------------------------

async function classifySource(source: string): Promise<SourceKind> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw new StirError('BAD_REQUEST', `"${source}" is not a valid address.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new StirError(
        'BAD_REQUEST',
        `Stir downloads packs over http and https only, not ${url.protocol.replace(':', '')}.`,
      );
    }
    return { kind: 'url', url };
  }
  const path = resolve(source);
  const info = await stat(path).catch(() => null);
  if (info === null) {
    throw new StirError('FILE_NOT_FOUND', `There is no folder or file at ${path}.`, {
      hint: 'Give a pack folder (with a stir-pack.json), a .zip of one, or an http(s) address.',
      details: { path },
    });
  }
  if (info.isDirectory()) return { kind: 'folder', dir: path };
  if (basename(path) === MANIFEST_NAME) return { kind: 'folder', dir: dirname(path) };
  if (await isZipFile(path)) return { kind: 'zip', path };
  throw new StirError('UNSUPPORTED_FORMAT', `${path} is neither a pack folder nor a .zip.`, {
    hint: 'A model pack is a folder with a stir-pack.json and its ONNX files, or a .zip of one.',
    details: { path },
  });
}

async function stageFolder(
  dir: string,
  staging: string,
  ctx: InstallContext,
  progress: InstallProgress,
  transfers: DownloadOutcome[],
): Promise<string> {
  const manifest = await readManifestFile(dir);
  const present: string[] = [];
  const remote: Array<{ path: string; url: URL; size: number; sha256: string }> = [];
  for (const file of manifest.files) {
    const local = confinedPath(dir, file.path, 'the manifest');
    if (await exists(local)) present.push(file.path);
    else if (file.url)
      remote.push({ path: file.path, url: new URL(file.url), size: file.size, sha256: file.sha256 });
    // else: loadPack names it as missing
  }
  const sizes = new Map(manifest.files.map((f) => [f.path, f.size]));
  const copyBytes = present.reduce((sum, p) => sum + (sizes.get(p) ?? 0), 0);
  const remoteBytes = remote.reduce((sum, r) => sum + r.size, 0);
  await assertFreeSpace(ctx.modelsDir, copyBytes + remoteBytes, `the pack "${manifest.name}"`);

  const copyEnd = remote.length > 0 ? 0.25 : 0.45;
  const copying = progress.phase(0, copyEnd, 'copying');
  let copied = 0;
  await copyFiles(dir, staging, [MANIFEST_NAME, ...present], {
    signal: ctx.signal,
    onFile: (path, bytes) => {
      copied += bytes;
      copying({ file: path, bytesDone: copied, bytesTotal: copyBytes });
    },
  });
  if (remote.length > 0) {
    await downloadFiles(remote, staging, ctx, progress, copyEnd, 0.7, transfers);
  }
  return staging;
}

async function stageZip(
  zipPath: string,
  staging: string,
  ctx: InstallContext,
  report: PhaseReporter,
): Promise<string> {
  const unpacked = join(staging, 'unpacked');
  await mkdir(unpacked);
  let root = '';
  await extractZip(zipPath, unpacked, {
    signal: ctx.signal,
    onProgress: (p) => report({ file: p.file, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal }),
    // Only the manifest and the files it lists are unpacked, each at the size it declares, and only when
    // the disk has room for all of them.
    select: async (listing) => {
      root = packRootIn(
        listing.files.map((f) => f.name),
        zipPath,
      );
      const manifestName = `${root}${MANIFEST_NAME}`;
      const manifestBytes = await listing.read(manifestName, MAX_MANIFEST_BYTES);
      let raw: unknown;
      try {
        raw = JSON.parse(new TextDecoder().decode(manifestBytes));
      } catch (caught) {
        throw new StirError('PACK_INVALID', `The ${MANIFEST_NAME} in ${zipPath} is not valid JSON.`, {
          hint: 'Get the pack again from where it was published.',
          details: { path: zipPath },
          cause: caught,
        });
      }
      const manifest = parseManifest(raw, `the pack in ${zipPath}`);
      const declared = manifest.files.reduce((sum, f) => sum + f.size, 0);
      await assertFreeSpace(ctx.modelsDir, declared, `the pack "${manifest.name}"`);
      return new Map([
        [manifestName, manifestBytes.length],
        ...manifest.files.map((f): [string, number] => [`${root}${f.path}`, f.size]),
      ]);
    },
  });
  return root === '' ? unpacked : join(unpacked, root);
}

async function stageUrl(
  url: URL,
  sha256: string | null,
  staging: string,
  ctx: InstallContext,
  progress: InstallProgress,
  transfers: DownloadOutcome[],
): Promise<string> {
  // The first download is the .zip itself, or the manifest of a pack published file by file; which one
  // is told by its first bytes, not by the address (download links often hide the file name).
  const first = await fetchToDownloads(
    url,
    { sha256, size: null },
    ctx,
    progress.phase(0, 0.6, 'downloading'),
  );
  transfers.push(first);
  try {
    if (await isZipFile(first.path)) {
      return await stageZip(first.path, staging, ctx, progress.phase(0.6, 0.75, 'unpacking'));
    }
    const manifest = await parseDownloadedManifest(first.path, url);
    await writeFile(join(staging, MANIFEST_NAME), JSON.stringify(manifest.raw));
    const files = manifest.parsed.files.map((f) => ({
      path: f.path,
      url: new URL(f.url ?? f.path, url),
      size: f.size,
      sha256: f.sha256,
    }));
    await assertFreeSpace(
      ctx.modelsDir,
      files.reduce((s, f) => s + f.size, 0),
      `the pack "${manifest.parsed.name}"`,
    );
    await downloadFiles(files, staging, ctx, progress, 0, 0.75, transfers);
    return staging;
  } finally {
    await rm(first.path, { force: true });
  }
}

/** Downloads files into the staging folder, each checked against its size and sha256 before it lands there. */
async function downloadFiles(
  files: ReadonlyArray<{ path: string; url: URL; size: number; sha256: string }>,
  staging: string,
  ctx: InstallContext,
  progress: InstallProgress,
  from: number,
  to: number,
  transfers: DownloadOutcome[],
): Promise<void> {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const report = progress.phase(from, to, 'downloading');
  let completed = 0;
  for (const file of files) {
    const target = confinedPath(staging, file.path, 'the manifest');
    const outcome = await fetchToDownloads(file.url, file, ctx, (update) => {
      const bytesDone = completed + update.bytesDone;
      const speed = update.bytesPerSecond ?? null;
      // The time left for all the files, at the current file's speed.
      const etaSeconds = speed !== null && speed > 0 ? (total - bytesDone) / speed : null;
      report({ ...update, file: file.path, bytesDone, bytesTotal: total, etaSeconds });
    });
    transfers.push(outcome);
    await mkdir(dirname(target), { recursive: true });
    await rename(outcome.path, target);
    completed += file.size;
  }
}

/**
 * Downloads `url` into the models folder's downloads folder under a name made from the address, so an
 * install of the same address after a crash or a restart resumes where it stopped.
 */
async function fetchToDownloads(
  url: URL,
  expect: { sha256: string | null; size: number | null },
  ctx: InstallContext,
  report: PhaseReporter,
): Promise<DownloadOutcome> {
  await mkdir(join(ctx.modelsDir, DOWNLOADS_DIR), { recursive: true });
  if (expect.size !== null) await assertFreeSpace(ctx.modelsDir, expect.size, `downloading ${url.href}`);
  // Two installs of one address would write the same partial file.
  const release = ctx.claim(`download of ${url.href}`);
  try {
    return await downloadFile({
      url: url.href,
      path: downloadPath(ctx.modelsDir, url),
      sha256: expect.sha256,
      size: expect.size,
      dispatcher: ctx.dispatcher,
      signal: ctx.signal,
      pause: ctx.pause,
      checkAddress: ctx.checkAddress,
      maxRetries: ctx.retry?.maxRetries,
      retryDelayMs: ctx.retry?.retryDelayMs,
      onProgress: (p: DownloadProgress) =>
        report({
          file: null,
          bytesDone: p.bytesDone,
          bytesTotal: p.bytesTotal,
          state: p.state,
          bytesPerSecond: p.bytesPerSecond,
          etaSeconds: p.etaSeconds,
        }),
    });
  } finally {
    release();
  }
}

/** Where a download from `url` is kept until it is complete: the same place every time, to resume. */
export function downloadPath(modelsDir: string, url: URL): string {
  return join(modelsDir, DOWNLOADS_DIR, createHash('sha256').update(url.href).digest('hex').slice(0, 32));
}

async function parseDownloadedManifest(
  path: string,
  url: URL,
): Promise<{ raw: unknown; parsed: PackManifest }> {
  const size = (await stat(path)).size;
  let raw: unknown = undefined;
  if (size <= MAX_MANIFEST_BYTES) {
    const handle = await open(path, 'r');
    try {
      raw = JSON.parse(await handle.readFile('utf8'));
    } catch {
      raw = undefined;
    } finally {
      await handle.close();
    }
  }
  if (raw === undefined) {
    throw new StirError('UNSUPPORTED_FORMAT', `${url.href} is neither a .zip nor a ${MANIFEST_NAME}.`, {
      hint: "Give the address of the pack's .zip, or of its stir-pack.json.",
      details: { url: url.href },
    });
  }
  return { raw, parsed: parseManifest(raw, `the pack at ${url.href}`) };
}

/**
 * Where stir-pack.json sits among a zip's file names: at the top (""), or in its one top-level folder
 * ("name/"); the "__MACOSX" folder macOS adds is not counted.
 */
function packRootIn(names: readonly string[], zipPath: string): string {
  if (names.includes(MANIFEST_NAME)) return '';
  const tops = new Set(names.map((n) => n.split('/')[0] ?? n).filter((top) => top !== '__MACOSX'));
  const only = tops.size === 1 ? [...tops][0] : undefined;
  if (only !== undefined && names.includes(`${only}/${MANIFEST_NAME}`)) return `${only}/`;
  throw new StirError(
    'PACK_MISSING',
    `${zipPath} does not hold a model pack: there is no ${MANIFEST_NAME} in it.`,
    {
      hint: 'A pack .zip holds a stir-pack.json and its ONNX files, at the top or in one folder.',
      details: { path: zipPath },
    },
  );
}

async function moveIntoPlace(
  root: string,
  target: string,
  modelsDir: string,
  existingVersion: string | null,
): Promise<string | null> {
  if (!(await exists(target))) {
    await rename(root, target);
    return null;
  }
  const trash = join(modelsDir, `${TRASH_PREFIX}${process.pid}-${randomUUID()}`);
  await rename(target, trash);
  try {
    await rename(root, target);
  } catch (caught) {
    await rename(trash, target);
    throw caught;
  }
  await rm(trash, { recursive: true, force: true });
  return existingVersion ?? 'unknown';
}

// --- progress ---------------------------------------------------------------------------------------

type PhaseUpdate = {
  file: string | null;
  bytesDone: number;
  bytesTotal: number | null;
  state?: PackInstallState;
  bytesPerSecond?: number | null;
  etaSeconds?: number | null;
};
type PhaseReporter = (update: PhaseUpdate) => void;

const DOWNLOAD_STATES: ReadonlySet<PackInstallState> = new Set([
  'connecting',
  'downloading',
  'paused',
  'retrying',
]);

/** Maps each phase's bytes onto its share of the whole install, and measures speed where the phase has none. */
class InstallProgress {
  readonly #onUpdate: (update: InstallUpdate) => void;
  at = 0;

  constructor(onUpdate: (update: InstallUpdate) => void) {
    this.#onUpdate = onUpdate;
  }

  phase(from: number, to: number, state: PackInstallState): PhaseReporter {
    const meter = new TransferMeter();
    let started = false;
    this.at = from;
    return (update) => {
      const measured = update.bytesPerSecond !== undefined;
      if (!started && !measured) meter.reset(update.bytesDone, update.bytesTotal);
      else if (!measured) {
        meter.total = update.bytesTotal;
        meter.add(Math.max(0, update.bytesDone - meter.read().bytesDone));
      }
      started = true;
      const reading = measured ? null : meter.read();
      const share = update.bytesTotal ? Math.min(1, update.bytesDone / update.bytesTotal) : 0;
      this.at = from + (to - from) * share;
      const now = update.state ?? state;
      this.#onUpdate({
        state: now,
        file: update.file,
        bytesDone: update.bytesDone,
        bytesTotal: update.bytesTotal,
        bytesPerSecond: now === 'paused' ? null : (update.bytesPerSecond ?? reading?.bytesPerSecond ?? null),
        etaSeconds: now === 'paused' ? null : (update.etaSeconds ?? reading?.etaSeconds ?? null),
        fraction: this.at,
        canPause: DOWNLOAD_STATES.has(now),
      });
    };
  }
}

// --- small helpers ----------------------------------------------------------------------------------

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/** A zip starts with a local file header ("PK\3\4"), or the end record for an empty zip ("PK\5\6"). */
async function isZipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return (
      bytesRead === 4 &&
      head[0] === 0x50 &&
      head[1] === 0x4b &&
      (head[2] === 3 || head[2] === 5) &&
      head[3] === head[2] + 1
    );
  } finally {
    await handle.close();
  }
}
