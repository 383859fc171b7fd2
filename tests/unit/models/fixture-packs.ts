// The tiny model packs of `npm run fixtures`, generated here on demand when missing or stale, so a single
// test file can run on a fresh clone.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePacksCurrent, writeFixturePacks } from '../../../scripts/fixtures/tiny-packs.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PACKS_DIR = join(REPO_ROOT, 'tests/fixtures/generated/packs');

export type FixturePack =
  | 'fyc'
  | 'fyc-plain'
  | 'pia'
  | 'probe-first-frame'
  | 'probe-all-frames'
  | 'sam'
  | 'bad-missing-file'
  | 'bad-sha256'
  | 'bad-input-name'
  | 'bad-input-shape'
  | 'bad-truncated-onnx'
  | 'bad-path-escape';

export function ensureFixturePacks(): void {
  if (!fixturePacksCurrent(PACKS_DIR)) writeFixturePacks(PACKS_DIR, REPO_ROOT);
}

export function packDir(id: FixturePack): string {
  ensureFixturePacks();
  return join(PACKS_DIR, id);
}
