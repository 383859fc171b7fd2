// The manifest documented for pack authors (issue 11, point 3): `stir models schema` prints the JSON Schema
// generated from the parser's own schema, and the examples of docs/model-packs.md are manifests Stir takes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/command.js';
import { modelsCommand } from '../../../src/cli/commands/models.js';
import { parseManifest } from '../../../src/engine/models/manifest.js';
import { REPO_ROOT } from './fixture-packs.js';

async function schemaFromCli(): Promise<Record<string, unknown>> {
  let out = '';
  const context: CliContext = {
    io: { out: (text) => (out += text), err: (text) => (out += text), interactive: false },
    cwd: REPO_ROOT,
    client: () => Promise.reject(new Error('stir models schema needs no engine')),
    signal: new AbortController().signal,
  };
  expect(await modelsCommand.run(['schema'], context)).toBe(0);
  return JSON.parse(out) as Record<string, unknown>;
}

function docExamples(): unknown[] {
  const text = readFileSync(join(REPO_ROOT, 'docs/model-packs.md'), 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
}

type Node = { properties?: Record<string, Node>; required?: string[]; enum?: unknown[]; default?: unknown };

describe('the manifest for pack authors', () => {
  it('stir models schema prints a draft 2020-12 JSON Schema of every field, with defaults', async () => {
    const schema = (await schemaFromCli()) as Node & Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(
      expect.arrayContaining(['format', 'formatVersion', 'id', 'name', 'version', 'capabilities', 'files']),
    );
    const components = schema.properties!.components!.properties!;
    expect(Object.keys(components).sort()).toEqual(['controlnet', 'segmenter', 'textEncoder', 'unet', 'vae']);
    expect(components.unet!.properties!.conditioning!.enum).toEqual([
      'first-frame+region-mask',
      'all-frames+frame-coefficients',
    ]);
    const defaults = schema.properties!.defaults!.properties!;
    expect(defaults.anchorFirstFrame!.default).toBe(false);
    expect(defaults.steps!.default).toBe(25);
  });

  it('the examples of docs/model-packs.md parse, and use every top-level field the schema names', async () => {
    const schema = (await schemaFromCli()) as Node;
    const examples = docExamples();
    expect(examples).toHaveLength(2);
    const [video, sam] = examples.map((e, i) => parseManifest(e, `the example ${i + 1}`));
    expect(video!.capabilities).toEqual(['diffusion', 'pose']);
    expect(video!.components.unet!.controlResiduals!.down).toHaveLength(12);
    expect(sam!.components.segmenter!.contract).toBe('sam');
    const used = new Set(Object.keys(examples[0] as object));
    expect(Object.keys(schema.properties!).filter((key) => !used.has(key))).toEqual([]);
  });

  it('a refusal names the field and what was expected', () => {
    const broken = { ...(docExamples()[1] as Record<string, unknown>), capabilities: ['segmenter', 'fly'] };
    expect(() => parseManifest(broken, 'the pack in /tmp/x')).toThrow(/capabilities\.1: Invalid option/);
  });
});
