// What the fuzz parent and its workers say to each other, and the folder snapshot both use to find files
// written where they should not be.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type FuzzKind = 'photos' | 'projects' | 'packs-folder' | 'packs-zip' | 'packs-verify';

export interface Batch {
  kind: FuzzKind;
  seed: number;
  from: number;
  count: number;
  /** The worker's own folder: inputs/ (what it feeds), models/ (the install target), home/ and tmp/. */
  sandbox: string;
}

export interface InputResult {
  kind: FuzzKind;
  i: number;
  /** accepted: answered normally; typed: refused with a StirError (not INTERNAL); crash: anything else. */
  outcome: 'accepted' | 'typed' | 'crash';
  code: string | null;
  message: string | null;
  millis: number;
  /** Files created, changed or removed outside the target folder while this input was handled. */
  outside: number;
}

export interface BatchEnd {
  done: true;
  /** Resident memory once the worker was ready, and the most it reached, in bytes. */
  baseline: number;
  peak: number;
}

/** Every path below `dir` (links not followed) with its size and modification time. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (relative: string) => {
    let names: string[];
    try {
      names = readdirSync(join(dir, relative));
    } catch {
      return;
    }
    for (const name of names) {
      const path = relative ? `${relative}/${name}` : name;
      const info = lstatSync(join(dir, path));
      out.set(path, info.isDirectory() ? 'dir' : `${info.size}:${info.mtimeMs}`);
      if (info.isDirectory()) walk(path);
    }
  };
  walk('');
  return out;
}
