// The downloader against a real HTTP server on 127.0.0.1 that cuts connections, ignores ranges, stalls
// and serves damaged bytes.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StirError } from '../../../src/shared/index.js';
import { downloadFile, type DownloadProgress } from '../../../src/engine/models/install/download.js';
import {
  createDownloadClient,
  proxySettingsFrom,
  type DownloadClient,
} from '../../../src/engine/models/install/http-client.js';
import { PauseGate } from '../../../src/engine/models/install/pause-gate.js';
import { listing, startConnectProxy, tempDir } from './helpers/files.js';
import { PackServer } from './helpers/pack-server.js';

const SIZE = 3_000_000;
const body = new Uint8Array(SIZE).map((_, i) => (i * 7919 + (i >> 11)) % 256);
const sha256 = createHash('sha256').update(body).digest('hex');

describe('downloadFile', () => {
  let server: PackServer;
  let client: DownloadClient;
  let dir: string;

  beforeAll(async () => {
    server = await PackServer.start();
    client = createDownloadClient({}); // no proxy, whatever this machine's environment says
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  afterEach(() => {
    server.requests.length = 0;
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (url: string, extra: Partial<Parameters<typeof downloadFile>[0]> = {}) => {
    dir = tempDir('download');
    return {
      url,
      path: join(dir, 'file.bin'),
      sha256,
      size: SIZE,
      dispatcher: client.dispatcher,
      signal: new AbortController().signal,
      retryDelayMs: 5,
      ...extra,
    };
  };

  async function failure(promise: Promise<unknown>): Promise<StirError> {
    try {
      await promise;
    } catch (caught) {
      if (caught instanceof StirError) return caught;
      throw caught;
    }
    throw new Error('the download did not fail');
  }

  it('downloads, checks the sha256 and renames the file into place, reporting speed', async () => {
    const url = server.serve('/plain.bin', { body });
    const seen: DownloadProgress[] = [];
    const req = request(url, { onProgress: (p) => seen.push(p) });
    const outcome = await downloadFile(req);
    expect(outcome).toMatchObject({ bytes: SIZE, sha256, resumedAt: [], restarts: 0 });
    expect(readFileSync(req.path).equals(Buffer.from(body))).toBe(true);
    expect(listing(dir)).toEqual([expect.stringMatching(/^file\.bin 3000000 /)]);
    expect(seen[0]?.state).toBe('connecting');
    expect(seen.at(-1)?.state).toBe('checking');
    expect(seen.at(-1)?.bytesDone).toBe(SIZE);
  });

  it('resumes an interrupted download with a range request from the bytes it has', async () => {
    const url = server.serve('/cut.bin', { body, cutAfter: 1_200_000, etag: '"v1"' });
    const req = request(url);
    const outcome = await downloadFile(req);
    expect(readFileSync(req.path).equals(Buffer.from(body))).toBe(true);
    expect(outcome.restarts).toBe(0);
    expect(outcome.resumedAt).toHaveLength(1);
    const resumedAt = outcome.resumedAt[0]!;
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(1_200_000);
    expect(server.requests.map((r) => [r.range, r.ifRange, r.status])).toEqual([
      [null, null, 200],
      [`bytes=${resumedAt}-`, '"v1"', 206],
    ]);
  });

  it('starts over when the server ignores the range request', async () => {
    const url = server.serve('/norange.bin', { body, cutAfter: 1_000_000, ignoreRange: true });
    const req = request(url);
    const outcome = await downloadFile(req);
    expect(readFileSync(req.path).equals(Buffer.from(body))).toBe(true);
    expect(outcome.restarts).toBe(1);
    expect(outcome.resumedAt).toEqual([]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(server.requests[1]?.status).toBe(200);
  });

  it('refuses a file with one corrupted byte and leaves nothing behind', async () => {
    const damaged = body.slice();
    damaged[1_234_567] = (damaged[1_234_567]! + 1) % 256;
    const url = server.serve('/damaged.bin', { body: damaged });
    const req = request(url);
    const error = await failure(downloadFile(req));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain('its sha256 does not match');
    expect(error.details).toMatchObject({
      expected: sha256,
      actual: createHash('sha256').update(damaged).digest('hex'),
    });
    expect(listing(dir)).toEqual([]);
  });

  it('pauses (keeping the bytes it has) and resumes with a range request', async () => {
    const url = server.serve('/stall.bin', { body, stallAfter: 800_000 });
    const pause = new PauseGate();
    let pausedAt = -1;
    const req = request(url, {
      pause,
      onProgress: (p) => {
        if (p.state === 'downloading' && p.bytesDone >= 800_000 && !pause.paused && pausedAt < 0) {
          pausedAt = p.bytesDone;
          pause.pause();
        }
        if (p.state === 'paused') {
          // While paused the partial file is on disk with every byte received so far.
          expect(readFileSync(`${req.path}.part`).length).toBe(pausedAt);
          setTimeout(() => pause.resume(), 50);
        }
      },
    });
    const outcome = await downloadFile(req);
    expect(pausedAt).toBe(800_000);
    expect(outcome.resumedAt).toEqual([800_000]);
    expect(readFileSync(req.path).equals(Buffer.from(body))).toBe(true);
    expect(server.requests.map((r) => r.range)).toEqual([null, 'bytes=800000-']);
  });

  it('continues after a crash from the partial file left on disk', async () => {
    const url = server.serve('/crash.bin', { body, etag: '"v1"' });
    const req = request(url);
    writeFileSync(`${req.path}.part`, body.subarray(0, 2_000_000));
    writeFileSync(`${req.path}.part.json`, JSON.stringify({ url, etag: '"v1"', lastModified: null }));
    const outcome = await downloadFile(req);
    expect(outcome.resumedAt).toEqual([2_000_000]);
    expect(outcome.sha256).toBe(sha256);
    expect(listing(dir)).toEqual([expect.stringMatching(/^file\.bin 3000000 /)]);
  });

  it('cancels, leaving nothing behind', async () => {
    const url = server.serve('/cancel.bin', { body, stallAfter: 500_000 });
    const controller = new AbortController();
    const req = request(url, {
      signal: controller.signal,
      onProgress: (p) => p.bytesDone >= 500_000 && controller.abort(),
    });
    const error = await failure(downloadFile(req));
    expect(error.code).toBe('CANCELLED');
    expect(listing(dir)).toEqual([]);
  });

  it('says in words when there is nothing at the address, without retrying', async () => {
    const req = request(server.url('/missing.bin'));
    const error = await failure(downloadFile(req));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain('there is no file at that address');
    expect(server.requests).toHaveLength(1);
    expect(listing(dir)).toEqual([]);
  });

  it('gives up after a bounded number of reconnects that bring nothing', async () => {
    const url = server.serve('/dead.bin', { body, cutAfter: 0, cutTimes: 100 });
    const req = request(url, { maxRetries: 3 });
    const error = await failure(downloadFile(req));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.details?.retryable).toBe(true);
    expect(server.requests).toHaveLength(4);
    expect(listing(dir)).toEqual([]);
  });

  it('refuses a server that offers another size than the pack says', async () => {
    const url = server.serve('/short.bin', { body: body.subarray(0, 1000) });
    const error = await failure(downloadFile(request(url)));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain('the server offers 1000 bytes, but the pack says the file has 3000000');
  });

  it('goes through the proxy of HTTP_PROXY, and around it for NO_PROXY hosts', async () => {
    const proxy = await startConnectProxy();
    const proxied = createDownloadClient({ HTTP_PROXY: proxy.url, NO_PROXY: '' });
    const bypass = createDownloadClient({ http_proxy: proxy.url, no_proxy: '127.0.0.1' });
    try {
      const url = server.serve('/proxied.bin', { body });
      await downloadFile(request(url, { dispatcher: proxied.dispatcher }));
      expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
      rmSync(dir, { recursive: true, force: true });
      await downloadFile(request(url, { dispatcher: bypass.dispatcher }));
      expect(proxy.tunnels).toHaveLength(1);
    } finally {
      await proxied.close();
      await bypass.close();
      await proxy.close();
    }
  });

  it('follows redirects itself, checking every address before it is reached', async () => {
    const target = server.serve('/cdn/file.bin', { body });
    const hop = server.serve('/mirror/file.bin', { body, redirectTo: '/cdn/file.bin' });
    const first = server.serve('/release/file.bin', { body, redirectTo: hop });
    const checked: string[] = [];
    const outcome = await downloadFile(
      request(first, { checkAddress: async (url) => void checked.push(url.href) }),
    );
    expect(outcome.sha256).toBe(sha256);
    expect(checked).toEqual([first, hop, target]);
  });

  it('refuses a redirect to an address the check refuses, without sending it anything', async () => {
    server.serve('/private/secret.bin', { body });
    const first = server.serve('/public/file.bin', { body, redirectTo: '/private/secret.bin' });
    const refused = await failure(
      downloadFile(
        request(first, {
          checkAddress: async (url) => {
            if (url.pathname.startsWith('/private/'))
              throw new StirError('UNAUTHORIZED', `${url.host} is on this machine or a private network.`);
          },
        }),
      ),
    );
    expect(refused.code).toBe('UNAUTHORIZED');
    expect(server.requests.map((r) => r.path)).toEqual(['/public/file.bin']);
    expect(listing(dir)).toEqual([]);
  });

  it('gives up on a redirect loop after a bounded number of hops', async () => {
    const loop = server.serve('/loop.bin', { body, redirectTo: '/loop.bin' });
    const error = await failure(downloadFile(request(loop)));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/more than 8 redirects/);
    expect(server.requests).toHaveLength(9);
  });

  it('reads proxy settings lower-case first, as curl does', () => {
    expect(
      proxySettingsFrom({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', NO_PROXY: 'x' }),
    ).toEqual({
      httpProxy: null,
      httpsProxy: 'http://a:1',
      noProxy: 'x',
    });
  });
});
