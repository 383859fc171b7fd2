// `stir models ...` through the typed client over the in-process transport, as the CLI runs it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type StirClient, type StirService } from '../../../src/shared/index.js';
import { createDispatcher } from '../../../src/shared/rpc/dispatcher.js';
import { inProcessTransport } from '../../../src/shared/rpc/in-process.js';
import type { CliContext } from '../../../src/cli/command.js';
import { modelsCommand } from '../../../src/cli/commands/models.js';
import { DECODER, ENCODER, writeTinyPack } from '../../unit/models-install/helpers/tiny-pack.js';
import { listing, tempDir, zipFolder } from '../../unit/models-install/helpers/files.js';
import { harness, type Harness } from './helpers.js';

describe('stir models', () => {
  let h: Harness;
  let client: StirClient;
  let work: string;

  beforeEach(() => {
    h = harness();
    // Only the models area answers here; the CLI command calls nothing else.
    const service = h.service as unknown as StirService;
    client = createClient(inProcessTransport(createDispatcher(service), h.bus));
    work = tempDir('cli');
  });
  afterEach(async () => {
    await h.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  async function stir(...args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const context: CliContext = {
      io: { out: (text) => (out += text), err: (text) => (out += text), interactive: false },
      cwd: work,
      client: async () => client,
      signal: new AbortController().signal,
    };
    const code = await modelsCommand.run(args, context);
    return { code, out };
  }

  it('installs a .zip given relative to the working folder, lists, verifies and removes it', async () => {
    const pack = writeTinyPack(join(work, 'src'), { paddingBytes: 50_000 });
    writeFileSync(join(work, 'pack.zip'), zipFolder(pack.dir));

    const installed = await stir('install', 'pack.zip');
    expect(installed.code).toBe(0);
    expect(installed.out).toMatch(
      /Installed Tiny SAM \(tiny-sam\) 1\.0\.0 as "tiny-sam": \d+(\.\d)? kB, can do segmenter, in \d+\.\d s\.\n$/,
    );

    const listed = await stir('list');
    expect(listed.code).toBe(0);
    const lines = listed.out.split('\n');
    expect(lines[0]).toBe(`Models folder: ${h.modelsDir}`);
    expect(lines[1]).toMatch(/^ID\s+VERSION\s+SIZE\s+CAN DO\s+NAME$/);
    expect(lines[2]).toMatch(/^tiny-sam\s+1\.0\.0\s+\d+ kB\s+segmenter\s+Tiny SAM \(tiny-sam\)$/);

    const verified = await stir('verify');
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('tiny-sam: OK (2 files');
    expect(verified.out).toContain(`ok      ${ENCODER}`);

    const damaged = readFileSync(join(h.modelsDir, 'tiny-sam', DECODER));
    damaged[0] = damaged[0]! ^ 1;
    writeFileSync(join(h.modelsDir, 'tiny-sam', DECODER), damaged);
    const failed = await stir('verify', 'tiny-sam');
    expect(failed.code).toBe(1);
    expect(failed.out).toContain(`FAILED  ${DECODER}: sha256 `);

    const removed = await stir('remove', 'tiny-sam');
    expect(removed.out).toMatch(/^Removed "tiny-sam" \(\d+ kB freed\)\.\n$/);
    expect(listing(h.modelsDir)).toEqual([]);
    expect((await stir('list')).out).toContain('No model pack is installed.');
  });

  it('shows the devices and remembers a choice', async () => {
    const shown = await stir('devices', '--set', 'cpu');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('* cpu   CPU');
    expect(shown.out).toContain('Choice: cpu; models run on: cpu.');
    await expect(stir('devices', '--set', 'gpu')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: '"gpu" is not a device.',
    });
  });

  it('refuses unknown subcommands and missing arguments in words', async () => {
    await expect(stir('frobnicate')).rejects.toMatchObject({
      message: '"frobnicate" is not a models command.',
    });
    await expect(stir('install')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(stir('remove', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
