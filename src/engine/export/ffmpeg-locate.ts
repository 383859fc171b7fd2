// Finding ffmpeg and ffprobe, and what each ffmpeg can encode. Order (issue 2, point 2): STIR_FFMPEG (a
// person's override), ffmpeg-static's binary (absent when its download was impossible), the binary that
// @ffmpeg-installer/ffmpeg ships inside its npm package, then `ffmpeg` on PATH. A candidate counts only
// when its file exists and it runs. Builds differ in their encoders (the @ffmpeg-installer build is
// ffmpeg 4.1 from 2018), so a format asks for the first ffmpeg that has every encoder it needs.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { StirError, type DoctorReport } from '../../shared/index.js';

export type FfmpegSource = NonNullable<DoctorReport['ffmpeg']>['source'];
export type LocatedFfmpeg = NonNullable<DoctorReport['ffmpeg']>;
export type LocatedFfprobe = NonNullable<DoctorReport['ffprobe']>;

export interface FfmpegCandidate {
  source: FfmpegSource;
  path: string;
}

/** What an ffmpeg build has, from `-encoders` and `-filters`. */
export interface FfmpegCapabilities {
  encoders: ReadonlySet<string>;
  filters: ReadonlySet<string>;
}

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
}

const require = createRequire(import.meta.url);
const PROBE_TIMEOUT_MS = 15_000;
const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

/** In a packaged Electron app the binary is unpacked beside the archive (asarUnpack); the path says asar. */
function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

function ffmpegStaticPath(): string | null {
  try {
    const path: unknown = require('ffmpeg-static');
    return typeof path === 'string' ? unpacked(path) : null;
  } catch {
    return null;
  }
}

function ffmpegInstallerPath(): string | null {
  try {
    // Its index throws (a string) when the platform package or its binary is missing.
    const found: unknown = require('@ffmpeg-installer/ffmpeg');
    const path = (found as { path?: unknown } | null)?.path;
    return typeof path === 'string' ? unpacked(path) : null;
  } catch {
    return null;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable called `name` in the PATH folders, as an absolute path. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const folders = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  for (const folder of folders) {
    const candidate = join(folder, exe(name));
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

/** Every place ffmpeg might be, in the order they are tried; each is still to be checked. */
export async function ffmpegCandidates(options: LocateOptions = {}): Promise<FfmpegCandidate[]> {
  const env = options.env ?? process.env;
  const candidates: FfmpegCandidate[] = [];
  if (env.STIR_FFMPEG) candidates.push({ source: 'env', path: env.STIR_FFMPEG });
  const fromStatic = ffmpegStaticPath();
  if (fromStatic) candidates.push({ source: 'ffmpeg-static', path: fromStatic });
  const fromInstaller = ffmpegInstallerPath();
  if (fromInstaller) candidates.push({ source: 'ffmpeg-installer', path: fromInstaller });
  const onPath = await findOnPath('ffmpeg', env);
  if (onPath) candidates.push({ source: 'path', path: onPath });
  return candidates;
}

function run(path: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      args,
      { timeout: PROBE_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024, windowsHide: true },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

/** "ffmpeg version 5.1.9-0+deb12u1 Copyright..." -> "5.1.9-0+deb12u1". */
export function parseVersion(output: string): string | null {
  const match = /^ff(?:mpeg|probe) version (\S+)/m.exec(output);
  return match?.[1] ?? null;
}

const versions = new Map<string, Promise<string | null>>();

/** The version a binary reports, or null when the file is missing or does not run. Cached per path. */
export function probeVersion(path: string): Promise<string | null> {
  let entry = versions.get(path);
  if (!entry) {
    entry = (async () => {
      if (!(await isExecutable(path))) return null;
      try {
        return parseVersion(await run(path, ['-hide_banner', '-version'])) ?? 'unknown';
      } catch {
        return null;
      }
    })();
    versions.set(path, entry);
  }
  return entry;
}

/** The first ffmpeg that exists and runs, or null. */
export async function locateFfmpeg(options: LocateOptions = {}): Promise<LocatedFfmpeg | null> {
  for (const candidate of await ffmpegCandidates(options)) {
    const version = await probeVersion(candidate.path);
    if (version !== null) return { ...candidate, version };
  }
  return null;
}

/** ffprobe: STIR_FFPROBE, then PATH (no npm package here ships one). */
export async function locateFfprobe(options: LocateOptions = {}): Promise<LocatedFfprobe | null> {
  const env = options.env ?? process.env;
  const paths = [env.STIR_FFPROBE, await findOnPath('ffprobe', env)];
  for (const path of paths) {
    if (!path) continue;
    const version = await probeVersion(path);
    if (version !== null) return { path, version };
  }
  return null;
}

/** Names in the listing of `-encoders` or `-filters`: " V....D libx264  libx264 H.264..." -> libx264. */
export function parseListing(output: string): Set<string> {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    // Flag columns are letters, dots and arrows ("V....D", "TSC", "..."), then the name.
    const match = /^\s*[A-Z.|]{3,6}\s+([A-Za-z0-9_-]+)\s/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

const capabilities = new Map<string, Promise<FfmpegCapabilities>>();

/** Which encoders and filters an ffmpeg has. Cached per path. */
export function ffmpegCapabilities(path: string): Promise<FfmpegCapabilities> {
  let entry = capabilities.get(path);
  if (!entry) {
    entry = (async () => {
      const [encoders, filters] = await Promise.all([
        run(path, ['-hide_banner', '-encoders']),
        run(path, ['-hide_banner', '-filters']),
      ]);
      return { encoders: parseListing(encoders), filters: parseListing(filters) };
    })();
    entry.catch(() => capabilities.delete(path));
    capabilities.set(path, entry);
  }
  return entry;
}

export interface Needs {
  encoders: readonly string[];
  filters?: readonly string[];
}

function missingFrom(found: FfmpegCapabilities, needs: Needs): string[] {
  return [
    ...needs.encoders.filter((name) => !found.encoders.has(name)).map((name) => `the ${name} encoder`),
    ...(needs.filters ?? []).filter((name) => !found.filters.has(name)).map((name) => `the ${name} filter`),
  ];
}

/**
 * The first ffmpeg (in discovery order) that runs and has everything `needs` lists. Throws FFMPEG_MISSING
 * when no ffmpeg runs, UNSUPPORTED_FORMAT naming what is missing when none has it.
 */
export async function ffmpegWith(
  needs: Needs,
  what: string,
  options: LocateOptions & { candidates?: FfmpegCandidate[] } = {},
): Promise<LocatedFfmpeg> {
  const candidates = options.candidates ?? (await ffmpegCandidates(options));
  const tried: string[] = [];
  for (const candidate of candidates) {
    const version = await probeVersion(candidate.path);
    if (version === null) continue;
    let missing: string[];
    try {
      missing = missingFrom(await ffmpegCapabilities(candidate.path), needs);
    } catch {
      continue;
    }
    if (missing.length === 0) return { ...candidate, version };
    tried.push(`${candidate.path} (${candidate.source}, ${version}) lacks ${missing.join(' and ')}`);
  }
  if (tried.length === 0) {
    throw new StirError('FFMPEG_MISSING', 'Stir could not find ffmpeg, which it needs to write clips.', {
      hint: 'Install ffmpeg (apt-get install ffmpeg, brew install ffmpeg, or from ffmpeg.org) or set STIR_FFMPEG to its path.',
    });
  }
  throw new StirError('UNSUPPORTED_FORMAT', `No ffmpeg found here can write ${what}: ${tried.join('; ')}.`, {
    hint: 'Install an ffmpeg built with it (the ones from ffmpeg.org and most Linux distributions are), or set STIR_FFMPEG to one.',
    details: { tried },
  });
}
