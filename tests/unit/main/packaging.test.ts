// What the packaged app is built with (issue 14, point 5): Electron's fuses in electron-builder.yml, read and
// checked against the schema by electron-builder's own config loader, and the Content Security Policy of the
// editor page (the meta tag Electron reads, and the header browser mode sends).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util/out/util.js';
import { startWebServer } from '../../../src/web/server.js';
import { EventBus } from '../../../src/shared/rpc/event-bus.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

describe('electron-builder config', () => {
  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspect; only the asar, with integrity checks', async () => {
    const config = await getConfig(REPO, null, null);
    // The schema of electron-builder 26 refuses unknown keys, so a misspelt fuse cannot pass unnoticed.
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
    expect(config.asar).not.toBe(false);
  });
});

/** A CSP's directives by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectLockedDown(policy: string): void {
  const csp = directives(policy);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(csp.get('form-action')).toEqual(["'none'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('script-src')).toEqual(["'self'"]);
  expect(csp.get('default-src')).toEqual(["'self'"]);
}

describe('Content Security Policy', () => {
  it('the editor page sets base-uri, form-action and object-src to none', async () => {
    const html = await readFile(join(REPO, 'src/renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta).not.toBeNull();
    expectLockedDown(meta![1]!);
  });

  it('browser mode sends the same policy, and forbids framing', async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'stir-csp-'));
    mkdirSync(join(staticDir, 'exports'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stir</title>');
    const server = await startWebServer({
      staticDir,
      dispatch: async () => ({ ok: true, result: null }),
      bus: new EventBus(),
      folders: { exports: join(staticDir, 'exports'), projects: join(staticDir, 'projects') },
    });
    try {
      const policy = (await fetch(server.url)).headers.get('content-security-policy') ?? '';
      expectLockedDown(policy);
      expect(directives(policy).get('frame-ancestors')).toEqual(["'none'"]);
    } finally {
      await server.close();
    }
  });
});
