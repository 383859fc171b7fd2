// Browser mode's server: the token guards every request, the contract works over the WebSocket with the
// renderer's own transport, and bytes (photos, masks) travel intact.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, StirError, type StirClient } from '../../../src/shared/index.js';
import { createEngine, type EngineHandle } from '../../../src/engine/create-engine.js';
import { startWebServer, type WebServer } from '../../../src/web/server.js';
import { websocketTransport } from '../../../src/renderer/src/lib/transport/websocket.js';
import { photoPath } from '../../helpers/photos.js';

let server: WebServer;
let engine: EngineHandle;
let client: StirClient;
let transport: ReturnType<typeof websocketTransport>;

beforeAll(async () => {
  const staticDir = mkdtempSync(join(tmpdir(), 'stir-web-'));
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stir</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  const exportDir = join(staticDir, 'exports');
  engine = createEngine({ exportDir });
  server = await startWebServer({
    staticDir,
    dispatch: engine.dispatch,
    bus: engine.bus,
    folders: { exports: exportDir, projects: join(staticDir, 'projects') },
  });
  // The renderer's transport uses the browser's WebSocket; `ws` implements the same interface.
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  const url = new URL('ws', server.url);
  url.protocol = 'ws:';
  transport = websocketTransport(url.href);
  await transport.ready;
  client = createClient(transport);
});

afterAll(async () => {
  transport?.close();
  await server?.close();
  await engine?.dispose();
});

const origin = () => `http://127.0.0.1:${server.port}`;

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only and serves the editor under the token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{20,}\/$/);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Stir</title>');
    const asset = await fetch(new URL('assets/app.js', server.url));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('refuses requests without the right token', async () => {
    expect((await fetch(`${origin()}/`)).status).toBe(403);
    expect((await fetch(`${origin()}/not-the-token/assets/app.js`)).status).toBe(403);
    // One character changed; the random token may itself end in 'x', so the stand-in differs from it.
    const last = server.token.at(-1) === 'x' ? 'y' : 'x';
    expect((await fetch(server.url.replace(server.token, server.token.slice(0, -1) + last))).status).toBe(
      403,
    );
  });

  it('refuses paths that climb out of the editor folder', async () => {
    const response = await fetch(`${server.url}..%2F..%2Fetc%2Fpasswd`);
    expect([403, 404]).toContain(response.status);
  });

  it('refuses a WebSocket without the token, or from another origin', async () => {
    const tryOpen = (url: string, headers: Record<string, string> = {}) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url, { headers });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('error', () => resolve('refused'));
        socket.on('unexpected-response', () => resolve('refused'));
      });
    expect(await tryOpen(`ws://127.0.0.1:${server.port}/ws`)).toBe('refused');
    expect(
      await tryOpen(`ws://127.0.0.1:${server.port}/${server.token}/ws`, { origin: 'http://evil.example' }),
    ).toBe('refused');
    expect(await tryOpen(`ws://127.0.0.1:${server.port}/${server.token}/ws`, { origin: origin() })).toBe(
      'open',
    );
  });

  it('speaks the contract: a real photo goes up as bytes and a region with its mask comes back intact', async () => {
    const bytes = await readFile(photoPath('chelsea.png'));
    const doc = await client.openPhoto({ source: { kind: 'bytes', name: 'chelsea.png', bytes } });
    expect([doc.width, doc.height]).toEqual([451, 300]);
    expect(doc.image.length).toBeGreaterThan(1000);
    const data = new Uint8Array(doc.width * doc.height);
    data.fill(255, 1000, 5000);
    const region = await client.createRegion({
      docId: doc.docId,
      region: {
        mask: { width: doc.width, height: doc.height, data },
        motion: { prompt: 'sway', strength: 2 },
      },
    });
    const [listed] = await client.listRegions({ docId: doc.docId });
    expect(listed?.id).toBe(region.id);
    expect(listed?.mask.data[999]).toBe(0);
    expect(listed?.mask.data[1000]).toBe(255);
    expect(listed?.mask.data.reduce((sum, v) => sum + (v > 0 ? 1 : 0), 0)).toBe(4000);
  });

  it('returns typed errors over the wire', async () => {
    const error = await client
      .openPhoto({ source: { kind: 'path', path: join(server.folders[0]!, 'no-such-photo.png') } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StirError);
    expect((error as StirError).code).toBe('FILE_NOT_FOUND');
    const bad = await client
      .segment({ docId: 'nope', clicks: [{ x: 1, y: 1, positive: true }] })
      .catch((e: unknown) => e);
    expect((bad as StirError).code).toBe('NOT_FOUND');
  });
});
