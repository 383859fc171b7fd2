// The catalog of known packs (issue 11, point 4): resources/models holds one valid entry per known pack,
// each with the exporter command that writes it; installed packs are matched to their entries; the app
// ships the folder; `stir models catalog` and the service list it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine/create-engine.js';
import { catalogDir, matchInstalled, readCatalog } from '../../../src/engine/models/catalog.js';
import { parseParams } from '../../../src/shared/rpc/validate.js';
import { REPO_ROOT } from './fixture-packs.js';

const CATALOG = join(REPO_ROOT, 'resources/models');

describe('the model catalog', () => {
  it('is found in the checkout, and every entry fits the schema', async () => {
    expect(catalogDir()).toBe(CATALOG);
    const entries = await readCatalog(CATALOG);
    expect(entries.map((e) => e.id).sort()).toEqual([
      'fyc-sd15',
      'mobile-sam',
      'pia-sd15',
      'pia-sd15-openpose',
      'sam-vit-b',
      'sam-vit-h',
      'sam-vit-l',
    ]);
  });

  it('gives, for every pack, an exporter command that exists and writes a folder named after the pack id', async () => {
    for (const entry of await readCatalog(CATALOG)) {
      expect(entry.sources.length).toBeGreaterThan(0);
      expect(entry.howToGet.some((step) => step.includes('models install'))).toBe(true);
      for (const variant of entry.variants) {
        const script = /tools\/export-pack\/\S+\.py/.exec(variant.command)?.[0];
        expect(script && existsSync(join(REPO_ROOT, script))).toBe(true);
        expect(variant.command).toContain(`--out packs/${variant.packId}`);
        expect(variant.command.includes('--precision fp16')).toBe(variant.precision === 'fp16');
        // Weights over 2 GB live in external data beside their graph.
        for (const file of variant.files) {
          if (file.approxBytes > 2e9) expect(file.path).toMatch(/\.onnx\.data$/);
        }
      }
      if (entry.capabilities.includes('pose')) {
        expect(entry.variants.every((v) => v.files.some((f) => f.path.startsWith('controlnet/')))).toBe(true);
      }
    }
  });

  it('matches installed packs to their entries by the ids the exporters write', async () => {
    const listing = matchInstalled(await readCatalog(CATALOG), ['sam-vit-b-fp16', 'pia-sd15', 'my-own-pack']);
    const installed = Object.fromEntries(listing.entries.map((e) => [e.id, e.installed]));
    expect(installed['sam-vit-b']).toEqual(['sam-vit-b-fp16']);
    expect(installed['pia-sd15']).toEqual(['pia-sd15']);
    expect(installed['pia-sd15-openpose']).toEqual([]);
    expect(listing.unknownInstalled).toEqual(['my-own-pack']);
  });

  it('ships with the app (electron-builder extraResources)', () => {
    const config = readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/extraResources:\n\s+- from: resources\/models\n\s+to: models/);
  });

  it('is listed by the service, with nothing installed in a fresh models folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stir-catalog-'));
    const engine = createEngine({ dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), workers: 1 });
    try {
      const listing = await engine.service.listCatalog(parseParams('listCatalog', {}));
      expect(listing.entries).toHaveLength(7);
      expect(listing.entries.every((e) => e.installed.length === 0)).toBe(true);
      expect(listing.unknownInstalled).toEqual([]);
    } finally {
      await engine.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
