// Browser mode against a page that holds the token and misbehaves (issue 14, point 4): malformed frames are
// answered, never fatal; a bad %-escape is a 400; file access by path stays inside the session's folders,
// says the same words whether or not an outside file exists, and never replaces a file Stir did not write;
// pack URLs are http(s) and reach local addresses only when the person typed them.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createClient,
  decodeFrame,
  encodeFrame,
  StirError,
  type StirClient,
} from '../../../src/shared/index.js';
import { createEngine, projectsDirFor, type EngineHandle } from '../../../src/engine/create-engine.js';
import { startWebServer, type WebServer } from '../../../src/web/server.js';
import { websocketTransport } from '../../../src/renderer/src/lib/transport/websocket.js';
import { photoPath } from '../../helpers/photos.js';

let server: WebServer;
let engine: EngineHandle;
let client: StirClient;
let transport: ReturnType<typeof websocketTransport>;
let root: string;
/** A folder the session was started with (`--folder`), one it was not, and the engine's own. */
let chosen: string;
let outside: string;
let exportDir: string;
let docId: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'stir-web-confine-'));
  const staticDir = join(root, 'static');
  chosen = join(root, 'chosen');
  outside = join(root, 'outside');
  exportDir = join(root, 'exports');
  for (const dir of [staticDir, chosen, outside, exportDir]) mkdirSync(dir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stir</title>');
  copyFileSync(photoPath('chelsea.png'), join(chosen, 'chelsea.png'));
  copyFileSync(photoPath('chelsea.png'), join(outside, 'chelsea.png'));
  writeFileSync(join(outside, '.profile'), 'export PATH=$HOME/bin:$PATH\n');
  writeFileSync(join(chosen, 'notes.stir'), 'not a project: words the person wrote\n');
  writeFileSync(join(chosen, 'clip.mp4'), 'a clip some other program made');
  symlinkSync(join(outside, 'chelsea.png'), join(chosen, 'link.png'));
  symlinkSync(outside, join(chosen, 'door'));

  let live: WebServer | null = null;
  engine = createEngine({
    exportDir,
    dataDir: join(root, 'data'),
    publishDownload: (path) => live?.publishDownload(path) ?? null,
  });
  server = await startWebServer({
    staticDir,
    dispatch: engine.dispatch,
    bus: engine.bus,
    folders: { exports: exportDir, projects: projectsDirFor(exportDir), chosen: [chosen] },
    resolveHost: async (host) => (host === 'packs.example' ? ['10.1.2.3'] : ['93.184.215.14']),
  });
  live = server;
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  transport = websocketTransport(socketUrl());
  await transport.ready;
  client = createClient(transport);
  const bytes = await readFile(photoPath('chelsea.png'));
  docId = (await client.openPhoto({ source: { kind: 'bytes', name: 'chelsea.png', bytes } })).docId;
});

afterAll(async () => {
  transport?.close();
  await server?.close();
  await engine?.dispose();
});

function socketUrl(): string {
  const url = new URL('ws', server.url);
  url.protocol = 'ws:';
  return url.href;
}

async function refusal(call: Promise<unknown>): Promise<StirError> {
  const caught = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(caught).toBeInstanceOf(StirError);
  return caught as StirError;
}

describe('frames from the page', () => {
  /** Sends raw frames on a fresh socket and collects the replies to them. */
  async function exchange(frames: Array<Uint8Array | string>, replies: number): Promise<unknown[]> {
    const socket = new WebSocket(socketUrl());
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const got: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const message = decodeFrame(new Uint8Array(data)) as { t: string };
        if (message.t !== 'reply') return;
        got.push(message);
        if (got.length === replies) resolve();
      });
    });
    for (const frame of frames) socket.send(frame);
    await done;
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
    return got;
  }

  it('answers a null header, text, garbage and a non-call with an error, and keeps serving', async () => {
    const nullHeader = new Uint8Array([0, 0, 0, 4, ...new TextEncoder().encode('null')]);
    const replies = await exchange(
      [
        nullHeader,
        'hello',
        new Uint8Array([0, 0, 0, 200, 1, 2]),
        encodeFrame([1, 2, 3]),
        encodeFrame({ t: 'call', id: 7, method: 42, params: {} }),
        encodeFrame({ t: 'call', id: 8, method: 'listEngines', params: {} }),
      ],
      6,
    );
    const byId = new Map(replies.map((r) => [(r as { id: number }).id, r]));
    expect(replies.filter((r) => (r as { id: number }).id === 0)).toHaveLength(4);
    for (const reply of replies.filter((r) => (r as { id: number }).id === 0)) {
      expect(reply).toMatchObject({ envelope: { ok: false, error: { code: 'BAD_REQUEST' } } });
    }
    expect(byId.get(7)).toMatchObject({ envelope: { ok: false, error: { code: 'BAD_REQUEST' } } });
    expect(byId.get(8)).toMatchObject({ envelope: { ok: true } });
    // The server and the editor's own connection are still there.
    expect((await client.listEngines({})).length).toBeGreaterThan(0);
  });

  it('gives 400, not 500, for a malformed %-escape', async () => {
    expect((await fetch(`${server.url}assets/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${server.url}download/%ZZ`)).status).toBe(400);
    expect((await fetch(`${server.url}index.html`)).status).toBe(200);
  });
});

describe('reading by path', () => {
  it('opens a photo inside a chosen folder', async () => {
    const doc = await client.openPhoto({ source: { kind: 'path', path: join(chosen, 'chelsea.png') } });
    expect([doc.width, doc.height]).toEqual([451, 300]);
  });

  it('refuses any file outside, in the same words whether it exists or not', async () => {
    const there = await refusal(
      client.openPhoto({ source: { kind: 'path', path: join(outside, 'chelsea.png') } }),
    );
    const missing = await refusal(
      client.openPhoto({ source: { kind: 'path', path: join(outside, 'nothing.png') } }),
    );
    const climbing = await refusal(
      client.openPhoto({ source: { kind: 'path', path: join(chosen, '..', 'outside', 'chelsea.png') } }),
    );
    for (const error of [there, missing, climbing]) {
      expect(error.code).toBe('UNAUTHORIZED');
      expect(error.message).toBe(there.message);
    }
    const project = await refusal(
      client.openProject({ source: { kind: 'path', path: join(outside, '.profile') } }),
    );
    expect(project.code).toBe('UNAUTHORIZED');
  });

  it('does not follow a link out of a chosen folder', async () => {
    for (const path of [join(chosen, 'link.png'), join(chosen, 'door', 'chelsea.png')]) {
      expect((await refusal(client.openPhoto({ source: { kind: 'path', path } }))).code).toBe('UNAUTHORIZED');
    }
  });
});

describe('writing by path', () => {
  it('writes nothing outside the folders, and a dotfile there stays as it was', async () => {
    const exported = await refusal(
      client.startExport({ docId, path: join(outside, '.profile'), overwrite: true }),
    );
    expect(exported.code).toBe('UNAUTHORIZED');
    const saved = await refusal(client.saveProject({ docId, path: join(outside, 'mine.stir') }));
    expect(saved.code).toBe('UNAUTHORIZED');
    expect(readFileSync(join(outside, '.profile'), 'utf8')).toBe('export PATH=$HOME/bin:$PATH\n');
  });

  it('never replaces a file Stir did not write, even when asked to overwrite', async () => {
    const project = await refusal(client.saveProject({ docId, path: join(chosen, 'notes.stir') }));
    expect(project.code).toBe('OUTPUT_UNWRITABLE');
    expect(readFileSync(join(chosen, 'notes.stir'), 'utf8')).toContain('words the person wrote');
    const clip = await refusal(
      client.startExport({ docId, path: join(chosen, 'clip.mp4'), overwrite: true }),
    );
    expect(clip.code).toBe('OUTPUT_UNWRITABLE');
    expect(readFileSync(join(chosen, 'clip.mp4'), 'utf8')).toBe('a clip some other program made');
    const throughLink = await refusal(client.saveProject({ docId, path: join(chosen, 'door', 'x.stir') }));
    expect(throughLink.code).toBe('UNAUTHORIZED');
  });

  it('saves into a chosen folder and replaces its own project there, now and in a later session', async () => {
    const first = await client.saveProject({ docId, path: join(chosen, 'mine') });
    expect(first.path).toBe(join(chosen, 'mine.stir'));
    const again = await client.saveProject({ docId, path: join(chosen, 'mine.stir') });
    expect(again.path).toBe(first.path);
    // A later session has not written it, but it is a Stir project: Save may replace it.
    const later = await startWebServer({
      staticDir: join(root, 'static'),
      dispatch: engine.dispatch,
      bus: engine.bus,
      folders: { exports: exportDir, projects: projectsDirFor(exportDir), chosen: [chosen] },
    });
    try {
      const envelope = await (async () => {
        const laterTransport = websocketTransport(
          Object.assign(new URL('ws', later.url), { protocol: 'ws:' }).href,
        );
        await laterTransport.ready;
        const result = await laterTransport.call('saveProject', { docId, path: first.path });
        laterTransport.close();
        return result;
      })();
      expect(envelope.ok).toBe(true);
    } finally {
      await later.close();
    }
    const opened = await client.openProject({ source: { kind: 'path', path: first.path } });
    expect(opened.document.width).toBe(451);
  });

  it('saves without a path into the projects folder', async () => {
    const saved = await client.saveProject({ docId, path: null });
    expect(saved.path.startsWith(projectsDirFor(exportDir))).toBe(true);
  });
});

describe('installing packs', () => {
  it('takes http(s) only', async () => {
    for (const source of ['file:///etc/passwd', 'ftp://packs.example/p.zip', 'javascript://x']) {
      const error = await refusal(client.installPack({ source, typed: true }));
      expect(error.code).toBe('BAD_REQUEST');
    }
  });

  it('refuses local and private addresses unless the person typed them', async () => {
    for (const source of [
      'http://127.0.0.1:9/pack.zip',
      'http://localhost:9/pack.zip',
      'http://[::1]:9/pack.zip',
      'http://[::ffff:7f00:1]:9/pack.zip',
      'http://192.168.1.20/pack.zip',
      'https://packs.example/pack.zip',
    ]) {
      const error = await refusal(client.installPack({ source }));
      expect(error.code, source).toBe('UNAUTHORIZED');
    }
    const typed = await client.installPack({ source: 'http://127.0.0.1:9/pack.zip', typed: true });
    expect(typed.jobId).toBeTruthy();
    await client.cancelJob({ jobId: typed.jobId });
  });

  it('reads a pack folder or zip by path only inside the folders', async () => {
    const error = await refusal(client.installPack({ source: outside, typed: true }));
    expect(error.code).toBe('UNAUTHORIZED');
  });
});
