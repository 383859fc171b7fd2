// Browser mode: serves the built editor and speaks the contract over a WebSocket, on 127.0.0.1 only.
//
// Every URL starts with a per-launch secret token (http://127.0.0.1:PORT/<token>/...), so every request
// (the page, its scripts, the WebSocket, downloads) carries it, and another site or user on the machine
// cannot drive the engine. The Host header must name the loopback address (no DNS rebinding), and the
// WebSocket's Origin must be this server. Whoever holds the token drives the engine, so what the engine may
// read and write by path is confined to the session's folders (confine.ts), and every frame is checked:
// a bad one is answered with an error, never a crash.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeFrame, type WireMessage } from '../shared/index.js';
import type { Dispatch } from '../shared/rpc/dispatcher.js';
import type { EventBus } from '../shared/rpc/event-bus.js';
import { confineDispatch } from './confine.js';
import { BrowserFileAccess, type BrowserFolders } from './file-access.js';
import { readIncomingFrame } from './incoming-frame.js';
import type { Resolve } from './pack-source.js';

export interface WebServerOptions {
  /** The built renderer (out/renderer). */
  staticDir: string;
  dispatch: Dispatch;
  bus: EventBus;
  /** The folders the engine may read and write by path in this session (the engine's own and chosen ones). */
  folders: BrowserFolders;
  /** Host name lookup for pack URLs (tests give a fixed one); the system's resolver otherwise. */
  resolveHost?: Resolve;
  port?: number;
  /** A fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface WebServer {
  /** The URL to open, token included. */
  url: string;
  token: string;
  port: number;
  /** The folders the engine may read and write by path. */
  folders: readonly string[];
  /** Makes a finished export downloadable; returns its URL. */
  publishDownload(path: string): string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

/** Largest message a page may send: a photo's bytes or a full-size mask, with room to spare. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticDir = resolve(options.staticDir);
  const downloads = new Map<string, string>();
  const access = new BrowserFileAccess(options.folders);
  const dispatch = confineDispatch(options.dispatch, { access, resolveHost: options.resolveHost });
  let port = 0;

  const tokenMatches = (candidate: string | undefined) => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const hostAllowed = (req: IncomingMessage) => {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };

  /** Splits "/<token>/rest" into its parts; null when the token is wrong. */
  const route = (req: IncomingMessage): string | null => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return null; // "//" and the like parse as a URL without a host
    }
    const [, first, ...rest] = url.pathname.split('/');
    if (!tokenMatches(first)) return null;
    return '/' + rest.join('/');
  };

  const server: Server = createServer((req, res) => {
    void handleHttp(req, res).catch((error: unknown) => {
      // A malformed %-escape is the request's fault, not ours.
      if (error instanceof URIError) return void (res.headersSent || res.writeHead(400).end('Bad request'));
      console.error('stir web:', error);
      if (!res.headersSent) res.writeHead(500).end('Internal error');
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req)) return void res.writeHead(403).end('Forbidden host');
    const path = route(req);
    if (path === null) {
      return void res
        .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
        .end('This Stir session needs the link printed by `npm run web`, token included.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();

    if (path.startsWith('/download/')) {
      const file = downloads.get(decodeURIComponent(path.slice('/download/'.length)));
      if (!file) return void res.writeHead(404).end('No such download');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return void res.writeHead(404).end('The file is gone');
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': info.size,
        'content-disposition': `attachment; filename="${basename(file).replace(/"/g, '')}"`,
      });
      createReadStream(file).pipe(res);
      return;
    }

    const relative = path === '/' ? 'index.html' : decodeURIComponent(path.slice(1));
    const file = normalize(join(staticDir, relative));
    if (file !== staticDir && !file.startsWith(staticDir + sep)) return void res.writeHead(403).end();
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return void res.writeHead(404).end('Not found');
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
      // The editor loads nothing from elsewhere.
      'content-security-policy':
        "default-src 'self'; script-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const path = route(req);
    const origin = req.headers.origin;
    const originAllowed =
      origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (!hostAllowed(req) || path !== '/ws' || !originAllowed) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const send = (message: WireMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
    };
    const unsubscribe = options.bus.subscribe((event, payload) => send({ t: 'event', event, payload }));
    ws.on('message', (data, isBinary) => {
      const frame = readIncomingFrame(data, isBinary);
      if (!frame.ok) return send({ t: 'reply', id: frame.id, envelope: frame.envelope });
      const { id, method, params } = frame.call;
      void dispatch(method, params).then((envelope) => send({ t: 'reply', id, envelope }));
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}/${token}/`;

  return {
    url: base,
    token,
    port,
    folders: access.folders,
    publishDownload(path) {
      const id = `${downloads.size + 1}-${basename(path)}`;
      downloads.set(id, path);
      return `${base}download/${encodeURIComponent(id)}`;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
