// Whose temporary file is this? The start-up sweep (leftovers.ts) removes temporary files older than the
// process that sweeps, which is right for what a crashed run left but wrong for a Stir that is running
// now: an export that spends a minute planning and rendering before ffmpeg writes a byte leaves its
// staged file untouched, and a second Stir starting meanwhile (the CLI beside the editor, `stir eval`
// beside an export) would delete it from under the first ("cannot write ...: not yours to write into").
// So every temporary name carries its writer's process id, and the sweep leaves a name alone while that
// process lives.
import { randomBytes } from 'node:crypto';

/** "p4242-1a2b3c4d": the writer's process id, then random hex so two writes of one process never meet. */
export function ownedToken(randomByteCount: number): string {
  return `p${process.pid}-${randomBytes(randomByteCount).toString('hex')}`;
}

/** The part of a temporary name's pattern that matches a token (and the bare hex names of earlier versions). */
export const OWNED_TOKEN = (hexDigits: number): string => `(?:p\\d+-)?[0-9a-f]{${hexDigits}}`;

/**
 * The process id a temporary name carries, or null for names without one (earlier versions' names).
 * Encode palettes name their process directly: ".stir-palette-<pid>-<ms>.png".
 */
export function tempNameOwner(name: string): number | null {
  const match = /\.stir-(?:save|partial|cycle)-p(\d+)-/.exec(name) ?? /^\.stir-palette-(\d+)-/.exec(name);
  return match ? Number(match[1]) : null;
}

/** Whether a process with this id runs on this machine (one we may not signal still runs). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (caught) {
    return (caught as { code?: unknown }).code === 'EPERM';
  }
}
