// Vitest global setup: every engine and CLI the tests start keeps its data (recent projects, the folders it
// wrote to, installed packs, recovery files) in a fresh folder, never in the data folder of the person
// running the tests (~/.local/share/stir), and the folder is removed when the run ends. Set before any test
// file's process starts, so the forks and the CLIs they spawn inherit it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function isolateDataFolder(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'stir-test-data-'));
  process.env.XDG_DATA_HOME = folder;
  return () => rmSync(folder, { recursive: true, force: true });
}
