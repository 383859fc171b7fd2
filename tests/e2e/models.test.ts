// Issue 7, points 1-3 in the editor: the model manager installs a pack from a web address (progress,
// pause, resume) and from a folder, verifies it, removes it after asking, refuses damaged packs in words
// and installs nothing; the engine choice offers the diffusion engine once a pack can animate; the device
// can be chosen; and a render that failed on the GPU offers the CPU. Packs are the tiny ones of
// `npm run fixtures`, served as a .zip by a local HTTP server on 127.0.0.1.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StirError } from '../../src/shared/errors.js';
import { offerCpu } from '../../src/engine/models/install/devices.js';
import { ensureFixturePacks, packDir, PACKS_DIR } from '../unit/models/fixture-packs.js';
import {
  callsSince,
  clickPhoto,
  openPhoto,
  settle,
  startEditor,
  waitForState,
  type EditorSession,
} from './harness.js';

const SHOTS = fileURLToPath(new URL('../../.scratch/models/', import.meta.url));
const DIALOG = 'Model packs and devices';
const FYC_NAME = 'Tiny Follow-Your-Click (all components)';

// --- a download host on 127.0.0.1 ------------------------------------------------------------------

interface Served {
  body: Uint8Array;
  /** The first response sends this many bytes, a little at a time, then holds the connection open. */
  stallAt?: number;
}

interface Host {
  url(path: string): string;
  /** The Range header of every request, by path. */
  ranges: Array<{ path: string; range: string | null }>;
  close(): Promise<void>;
}

const CHUNK = 32 * 1024;
const CHUNK_GAP_MS = 25;

async function startHost(files: Record<string, Served>): Promise<Host> {
  const ranges: Host['ranges'] = [];
  const stalled = new Set<string>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const file = files[path];
    ranges.push({ path, range: req.headers.range ?? null });
    if (!file || ranges.length > 50) return void res.writeHead(404).end();
    const total = file.body.length;
    const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    res.writeHead(match ? 206 : 200, {
      'content-type': 'application/zip',
      'content-length': total - start,
      'accept-ranges': 'bytes',
      ...(match ? { 'content-range': `bytes ${start}-${total - 1}/${total}` } : {}),
    });
    const body = Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength);
    if (file.stallAt === undefined || stalled.has(path)) return void res.end(body.subarray(start));
    stalled.add(path);
    const stallAt = file.stallAt;
    let at = start;
    const trickle = () => {
      if (res.destroyed || at >= stallAt) return;
      const end = Math.min(stallAt, at + CHUNK);
      res.write(body.subarray(at, end));
      at = end;
      setTimeout(trickle, CHUNK_GAP_MS);
    };
    trickle();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    ranges,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every file below `dir`, zipped (stored, as large packs are: ONNX weights do not deflate). */
async function zipFolder(dir: string): Promise<Uint8Array> {
  const entries: Zippable = {};
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else entries[relative(dir, path).split('\\').join('/')] = await readFile(path);
    }
  };
  await walk(dir);
  return zipSync(entries, { level: 0 });
}

// --- the editor -------------------------------------------------------------------------------------

let s: EditorSession;
let host: Host;
let fycZip: Uint8Array;

beforeAll(async () => {
  ensureFixturePacks();
  fycZip = await zipFolder(packDir('fyc'));
  // The same zip with one byte of a model changed: its sha256 no longer matches the manifest.
  const corrupted = fycZip.slice();
  corrupted[Math.floor(corrupted.length * 0.6)]! ^= 0xff;
  host = await startHost({
    '/fyc.zip': { body: fycZip, stallAt: Math.floor(fycZip.length * 0.4) },
    '/corrupted.zip': { body: corrupted },
  });
  // The packs installed from a typed folder path live here: the session is started with it as a chosen folder.
  s = await startEditor({ folders: [PACKS_DIR] });
  await openPhoto(s.page, 'rocket.jpg');
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await s?.close();
  await host?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function openModels() {
  await s.page.getByRole('button', { name: DIALOG }).click();
  const dialog = s.page.getByRole('dialog', { name: DIALOG });
  await dialog.waitFor();
  return dialog;
}

async function closeModels(): Promise<void> {
  const dialog = s.page.getByRole('dialog', { name: DIALOG });
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'detached' });
}

async function installedIds(): Promise<string[]> {
  const entries = await readdir(join(s.dataDir, 'models')).catch(() => []);
  return entries.filter((name) => !name.startsWith('.')).sort();
}

describe('the model manager', () => {
  it('offers the CPU when a render fails on the GPU, and renders the preview again there', async () => {
    // No GPU here: the engine's answer to the next render is the error a GPU out of memory gives.
    const real = s.engine.dispatch;
    let failed = false;
    s.engine.dispatch = async (method, params) => {
      if (method !== 'startRender' || failed) return real(method, params);
      failed = true;
      const error = offerCpu(new StirError('OUT_OF_MEMORY', 'It needed 9.2 GB; 6 GB were free.'), 'cuda');
      return { ok: false, error: (error as StirError).toPayload() };
    };
    try {
      await clickPhoto(s.page, 256, 320);
      await waitForState(s.page, (st) => st.regions.length === 1, 'a region');
      const banner = s.page.getByTestId('error-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('ran out of memory');
      await shot(s.page, 'gpu-failed');
      const from = s.calls.length;
      await banner.getByRole('button', { name: 'Use the CPU' }).click();
      await banner.waitFor({ state: 'detached' });
      await waitForState(s.page, (st) => st.renders >= 2 && !st.rendering && st.fresh > 0, 'a new render');
      expect(callsSince(s, from, 'setDevice').map((c) => c.params)).toEqual([{ device: 'cpu' }]);
      expect(callsSince(s, from, 'startRender').length).toBeGreaterThan(0);
      expect((await s.engine.service.listDevices({})).choice).toBe('cpu');
    } finally {
      s.engine.dispatch = real;
    }
    // The region goes again: later renders would use the diffusion engine.
    await s.page.keyboard.press('Delete');
    await waitForState(s.page, (st) => st.regions.length === 0, 'no region');
    await settle(s.page);
  });

  it('installs a pack from a web address, with progress, Pause and Resume', async () => {
    const dialog = await openModels();
    await dialog.getByTestId('no-packs').waitFor();
    await dialog.getByLabel('From a web address').fill(host.url('/fyc.zip'));
    await dialog.getByRole('button', { name: 'Download and install' }).click();

    const install = dialog.getByTestId('install');
    await dialog.locator('[data-testid="install"][data-state="downloading"]').waitFor();
    // Bytes arrive: the amounts read "x of 2.7 MB", with the speed once it can be told.
    await expect
      .poll(async () => install.getByTestId('install-amounts').textContent(), { timeout: 10_000 })
      .toMatch(/[1-9][\d.]* [kM]B of 2\.7 MB · .*\/s/);
    expect(await s.page.locator('[data-testid="job"][data-kind="pack-install"]').count()).toBe(1);
    await shot(s.page, 'install-progress');

    await install.getByRole('button', { name: 'Pause' }).click();
    await dialog.locator('[data-testid="install"][data-state="paused"]').waitFor();
    expect(await install.getByTestId('install-state').textContent()).toBe('Paused');
    await shot(s.page, 'install-paused');
    await install.getByRole('button', { name: 'Resume' }).click();

    const pack = dialog.locator('[data-testid="pack"][data-pack="fyc"]');
    await pack.waitFor({ timeout: 20_000 });
    await install.waitFor({ state: 'detached' });
    // It went on from where it stopped, with a range request.
    const resumed = host.ranges.filter((r) => r.path === '/fyc.zip').map((r) => r.range);
    expect(resumed[0]).toBeNull();
    expect(resumed.at(-1)).toMatch(/^bytes=[1-9]\d*-$/);
    expect(await pack.textContent()).toContain(FYC_NAME);
    expect(await pack.getByTestId('pack-size').textContent()).toBe('2.7 MB');
    expect(await pack.getByTestId('pack-status').textContent()).toBe('Ready');
    const can = await pack.getByRole('list', { name: `What ${FYC_NAME} can do` }).textContent();
    for (const capability of ['segmenter', 'diffusion', 'pose']) expect(can).toContain(capability);
    expect(await dialog.getByTestId('models-said').textContent()).toMatch(/Installed .* \(2\.7 MB\)/);
    await s.page.locator('[data-testid="job"][data-kind="pack-install"]').waitFor({ state: 'detached' });
    expect(await installedIds()).toEqual(['fyc']);
    await shot(s.page, 'installed');
  });

  it('verifies the pack: every file checked, each listed', async () => {
    const dialog = s.page.getByRole('dialog', { name: DIALOG });
    const pack = dialog.locator('[data-testid="pack"][data-pack="fyc"]');
    await pack.getByRole('button', { name: `Verify ${FYC_NAME}` }).click();
    const result = pack.getByTestId('verify-result');
    await result.waitFor();
    const fileCount = (await s.engine.service.verifyPack({ packId: 'fyc' })).files.length;
    expect(await result.textContent()).toContain(`All ${fileCount} files match the manifest`);
    await result.getByText(`${fileCount} files checked`).click();
    expect(await result.locator('.files li').count()).toBe(fileCount);
    await shot(s.page, 'verified');
    await closeModels();
  });

  it('lists the diffusion engine with the pack in the engine choice', async () => {
    const diffusion = s.page.getByRole('radio', { name: /Diffusion/ });
    await expect.poll(() => diffusion.isEnabled()).toBe(true);
    await diffusion.check();
    const choice = s.page.getByRole('combobox', { name: 'Model pack' });
    expect(await choice.locator('option').allTextContents()).toEqual([
      `${FYC_NAME} 2 (segmenter, diffusion, pose)`,
    ]);
    await choice.scrollIntoViewIfNeeded();
    await shot(s.page, 'engine-choice');
    await s.page.getByRole('radio', { name: /Built-in motion/ }).check();
    await settle(s.page);
  });

  it('shows the devices and lets the person choose one (Ctrl+Shift+M opens the manager)', async () => {
    await s.page.keyboard.press('Control+Shift+M');
    const dialog = s.page.getByRole('dialog', { name: DIALOG });
    await dialog.waitFor();
    const devices = dialog.getByTestId('devices');
    await devices.waitFor();
    // The CPU was chosen from the banner above; CUDA cannot be chosen on this machine.
    expect(await devices.getByRole('radio', { name: /^CPU/ }).isChecked()).toBe(true);
    expect(await devices.getByRole('radio', { name: /^CUDA/ }).count()).toBe(0);
    const unavailable = dialog.getByTestId('devices-unavailable');
    await unavailable.getByText(/^Not available on this machine: .*CUDA \(NVIDIA\)/).click();
    expect(await unavailable.textContent()).toMatch(/CUDA \(NVIDIA\).*libonnxruntime_providers_cuda/);
    await devices.getByRole('radio', { name: /^Automatic/ }).check();
    await expect.poll(async () => (await s.engine.service.listDevices({})).choice).toBe('auto');
    await devices.getByRole('radio', { name: /^CPU/ }).check();
    await expect.poll(async () => (await s.engine.service.listDevices({})).choice).toBe('cpu');
    await expect
      .poll(async () => dialog.getByTestId('device-active').textContent())
      .toContain('Models run on CPU.');
    await devices.scrollIntoViewIfNeeded();
    await shot(s.page, 'devices');
  });

  it('removes the pack after asking', async () => {
    const dialog = s.page.getByRole('dialog', { name: DIALOG });
    const pack = dialog.locator('[data-testid="pack"][data-pack="fyc"]');
    await pack.getByRole('button', { name: `Remove ${FYC_NAME}` }).click();
    const confirm = pack.getByRole('group', { name: `Remove ${FYC_NAME}?` });
    await confirm.waitFor();
    await shot(s.page, 'remove-confirm');
    // Keep it: nothing goes.
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    expect(await installedIds()).toEqual(['fyc']);
    await pack.getByRole('button', { name: `Remove ${FYC_NAME}` }).click();
    await confirm.getByRole('button', { name: 'Remove fyc' }).click();
    await dialog.getByTestId('no-packs').waitFor();
    expect(await dialog.getByTestId('models-said').textContent()).toMatch(/Removed .* \(2\.7 MB freed\)/);
    expect(await installedIds()).toEqual([]);
  });

  it('installs a pack from a folder on the machine running Stir', async () => {
    const dialog = s.page.getByRole('dialog', { name: DIALOG });
    await dialog.getByLabel(/From a folder or a \.zip/).fill(packDir('sam'));
    await dialog.getByRole('button', { name: 'Install', exact: true }).click();
    const pack = dialog.locator('[data-testid="pack"][data-pack="sam"]');
    await pack.waitFor({ timeout: 20_000 });
    const can = await pack.getByRole('list').textContent();
    expect(can).toContain('segmenter');
    expect(can).not.toContain('diffusion');
    expect(await installedIds()).toEqual(['sam']);
  });

  it('refuses a damaged download and a folder with a wrong sha256, in words, installing nothing', async () => {
    const dialog = s.page.getByRole('dialog', { name: DIALOG });
    await dialog.getByLabel('From a web address').fill(host.url('/corrupted.zip'));
    await dialog.getByRole('button', { name: 'Download and install' }).click();
    const failed = dialog.getByTestId('install-failed');
    await failed.waitFor({ timeout: 20_000 });
    const said = (await failed.textContent()) ?? '';
    expect(said).toContain(`Nothing was installed from ${host.url('/corrupted.zip')}`);
    expect(said).toMatch(/sha256|damaged|CRC/i);
    await shot(s.page, 'refused-download');

    await dialog.getByLabel(/From a folder or a \.zip/).fill(packDir('bad-sha256'));
    await dialog.getByRole('button', { name: 'Install', exact: true }).click();
    await expect.poll(async () => failed.textContent(), { timeout: 20_000 }).toContain('bad-sha256');
    expect(await failed.count()).toBe(1);
    expect(await failed.textContent()).toMatch(/sha256/);
    await shot(s.page, 'refused-folder');
    expect(await dialog.getByTestId('pack').count()).toBe(1);
    expect(await installedIds()).toEqual(['sam']);
  });

  it("opens from the engine choice's note, and the help panel lists its shortcut", async () => {
    await closeModels();
    // SAM alone cannot animate: the engine choice asks for a pack.
    await s.page.getByRole('button', { name: 'Install a model pack…' }).click();
    await s.page.getByRole('dialog', { name: DIALOG }).waitFor();
    await closeModels();
    await s.page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const help = s.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.getByText('Model packs and devices').count()).toBe(1);
    expect(await help.textContent()).toContain('Ctrl+Shift+M');
    await help.getByRole('button', { name: 'Close' }).click();
  });
});
