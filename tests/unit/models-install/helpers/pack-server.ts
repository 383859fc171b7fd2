// A download host on 127.0.0.1 (random port) that misbehaves on request: cuts connections part-way,
// ignores range requests, stalls until released. Every request is recorded so tests can check what the
// downloader asked for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Uint8Array;
  /** Answer every request with 200 and the whole body, whatever Range says. */
  ignoreRange?: boolean;
  /** Cut the connection after this many body bytes, on the first `cutTimes` responses (default 1). */
  cutAfter?: number;
  cutTimes?: number;
  /** Stop sending after this many body bytes of the first response until release() is called. */
  stallAfter?: number;
  etag?: string;
  status?: number;
  /** Answer 302 Found with this Location (the body is not served). */
  redirectTo?: string;
}

export interface RecordedRequest {
  path: string;
  range: string | null;
  ifRange: string | null;
  status: number;
}

export class PackServer {
  readonly requests: RecordedRequest[] = [];
  readonly #files = new Map<string, ServedFile & { cuts: number; stalled: boolean }>();
  readonly #server: Server;
  #release: (() => void) | null = null;
  #port = 0;

  private constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  static async start(): Promise<PackServer> {
    const server = new PackServer();
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    server.#port = (server.#server.address() as AddressInfo).port;
    return server;
  }

  get port(): number {
    return this.#port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.#port}${path}`;
  }

  serve(path: string, file: ServedFile): string {
    this.#files.set(path, { ...file, cuts: 0, stalled: false });
    return this.url(path);
  }

  /** Lets a stalled response go on. */
  release(): void {
    this.#release?.();
    this.#release = null;
  }

  async close(): Promise<void> {
    this.release();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const file = this.#files.get(path);
    const range = req.headers.range ?? null;
    const record = (status: number) =>
      this.requests.push({
        path,
        range,
        ifRange: (req.headers['if-range'] as string | undefined) ?? null,
        status,
      });
    if (!file) {
      record(404);
      res.writeHead(404).end('not found');
      return;
    }
    if (file.redirectTo !== undefined) {
      record(302);
      res.writeHead(302, { location: file.redirectTo }).end();
      return;
    }
    if (file.status) {
      record(file.status);
      res.writeHead(file.status).end();
      return;
    }
    const total = file.body.length;
    let start = 0;
    const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream' };
    if (file.etag) headers.etag = file.etag;
    let status = 200;
    const match = range && !file.ignoreRange ? /^bytes=(\d+)-$/.exec(range) : null;
    if (match) {
      start = Number(match[1]);
      if (start >= total) {
        record(416);
        res.writeHead(416, { 'content-range': `bytes */${total}` }).end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${total - 1}/${total}`;
    }
    if (!file.ignoreRange) headers['accept-ranges'] = 'bytes';
    headers['content-length'] = total - start;
    record(status);
    res.writeHead(status, headers);
    const body = Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength).subarray(start);

    if (file.cutAfter !== undefined && file.cuts < (file.cutTimes ?? 1)) {
      file.cuts++;
      const keep = Math.max(0, Math.min(body.length, file.cutAfter - start));
      res.write(body.subarray(0, keep), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (file.stallAfter !== undefined && !file.stalled) {
      file.stalled = true;
      const keep = Math.min(body.length, file.stallAfter);
      res.write(body.subarray(0, keep));
      this.#release = () => {
        if (!res.destroyed) res.end(body.subarray(keep));
      };
      return;
    }
    res.end(body);
  }
}
