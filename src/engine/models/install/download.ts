// One file from a URL to disk, resumably. Bytes go to `<path>.part` (and what the server said about the
// file to `<path>.part.json`, to check that a later resume asks for the same file); a lost connection or
// a pause continues with an HTTP range request from the bytes on disk (RFC 9110 §14: Range, If-Range,
// 206 Partial Content); a server that ignores ranges (answers 200) is handled by starting over. When all
// bytes are there the sha256 is checked and only then is the file renamed to its final name.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { request, type Dispatcher } from 'undici';
import { StirError } from '../../../shared/index.js';
import type { PauseGate } from './pause-gate.js';
import { TransferMeter, type TransferReading } from './transfer-meter.js';

export type DownloadState = 'connecting' | 'downloading' | 'paused' | 'retrying' | 'checking';

export interface DownloadProgress extends TransferReading {
  state: DownloadState;
  url: string;
}

export interface DownloadRequest {
  url: string;
  /** Final path. The caller has already confined it to the models folder. */
  path: string;
  /** Expected sha256 (hex); null when nothing says what it should be (then only the size is checked). */
  sha256: string | null;
  /** Expected size in bytes, when known. */
  size: number | null;
  dispatcher: Dispatcher;
  signal: AbortSignal;
  pause?: PauseGate;
  onProgress?: (progress: DownloadProgress) => void;
  /** Reconnections in a row that bring no new byte before the download gives up. */
  maxRetries?: number;
  /** First wait before reconnecting; doubles each time, up to 10 s. */
  retryDelayMs?: number;
  /**
   * Checked before every address the download reaches (the first and each redirect): throws to refuse one.
   * Browser mode refuses this machine and private networks for a URL the person did not type.
   */
  checkAddress?: AddressCheck;
}

export type AddressCheck = (url: URL) => Promise<void>;

export interface DownloadOutcome {
  path: string;
  bytes: number;
  sha256: string;
  /** Offsets from which a server honoured a range request (a resume after a cut or a pause). */
  resumedAt: number[];
  /** Times the server ignored a range request and the download started over. */
  restarts: number;
}

interface PartialInfo {
  url: string;
  etag: string | null;
  lastModified: string | null;
}

const PROGRESS_INTERVAL_MS = 200;
/** Bytes gathered before a write to disk. */
const WRITE_BYTES = 1 << 20;
const MAX_RETRY_DELAY_MS = 10_000;
/** Hard ceiling on request attempts of one download, whatever happens (pauses included). */
const MAX_ATTEMPTS = 10_000;
/** Enough for a release host -> CDN -> signed URL chain, with room to spare. */
const MAX_REDIRECTS = 8;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function downloadFile(req: DownloadRequest): Promise<DownloadOutcome> {
  const partPath = `${req.path}.part`;
  const infoPath = `${req.path}.part.json`;
  try {
    return await download(req, partPath, infoPath);
  } catch (caught) {
    // Paused downloads never get here; a failure or a cancel leaves nothing behind.
    await rm(partPath, { force: true });
    await rm(infoPath, { force: true });
    throw caught;
  }
}

async function download(req: DownloadRequest, partPath: string, infoPath: string): Promise<DownloadOutcome> {
  const maxRetries = req.maxRetries ?? 5;
  const retryDelayMs = req.retryDelayMs ?? 500;
  const meter = new TransferMeter();
  let lastReport = 0;
  // A report held back by the interval is sent when the interval ends, so a transfer that stalls still
  // shows the bytes it has.
  let trailing: NodeJS.Timeout | null = null;
  let lastState: DownloadState | null = null;
  const report = (state: DownloadState, force = false) => {
    const now = performance.now();
    if (trailing !== null) clearTimeout(trailing);
    trailing = null;
    if (!force && state === lastState && now - lastReport < PROGRESS_INTERVAL_MS) {
      trailing = setTimeout(() => report(state, true), PROGRESS_INTERVAL_MS - (now - lastReport));
      return;
    }
    lastReport = now;
    lastState = state;
    req.onProgress?.({ ...meter.read(), state, url: req.url });
  };
  const stopReports = () => {
    if (trailing !== null) clearTimeout(trailing);
    trailing = null;
  };

  // 1. What is already on disk from an earlier attempt at the same URL (a crash, an engine restart).
  let info = await readPartialInfo(infoPath);
  let offset = 0;
  let hash = createHash('sha256');
  if (info?.url === req.url) {
    offset = (await stat(partPath).catch(() => null))?.size ?? 0;
    if (offset > 0) {
      report('checking', true);
      await hashExisting(partPath, hash, req.signal);
    }
  } else {
    info = null;
    await rm(partPath, { force: true });
  }
  let total: number | null = req.size;
  meter.reset(offset, total);

  const resumedAt: number[] = [];
  let restarts = 0;
  let failuresInARow = 0;
  const file = await open(partPath, offset > 0 ? 'r+' : 'w');
  try {
    for (let attempt = 0; ; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw failed(req.url, 'too many attempts');
      if (req.pause?.paused) {
        report('paused', true);
        await req.pause.wait(req.signal);
        meter.reset(offset, total);
      }
      if (req.signal.aborted) throw cancelled();
      if (total !== null && offset === total) break;

      report('connecting', true);
      const before = offset;
      const pauseSignal = req.pause?.signal;
      try {
        // 2. Ask for the rest (or for everything), and learn the file's size from the answer.
        const signal = pauseSignal ? AbortSignal.any([req.signal, pauseSignal]) : req.signal;
        const headers: Record<string, string> = {};
        if (offset > 0) {
          headers.range = `bytes=${offset}-`;
          const validator = info?.etag && !info.etag.startsWith('W/') ? info.etag : info?.lastModified;
          if (validator) headers['if-range'] = validator;
        }
        const response = await requestFollowingRedirects(req, signal, headers);
        const answer = interpret(response, offset, req.url);
        if (answer.kind === 'complete') {
          await response.body.dump();
          total = offset;
          break;
        }
        if (answer.kind === 'restart' && offset > 0) {
          // The server ignored the range (or the file changed): start over from byte 0.
          restarts++;
          offset = 0;
          hash = createHash('sha256');
          await file.truncate(0);
          meter.reset(0, total);
        }
        if (answer.kind === 'resume') resumedAt.push(offset);
        const announced = answer.total;
        if (announced !== null && req.size !== null && announced !== req.size) {
          await response.body.dump();
          throw failed(
            req.url,
            `the server offers ${announced} bytes, but the pack says the file has ${req.size}`,
          );
        }
        total = announced ?? total;
        meter.total = total;
        if (!info || info.url !== req.url || info.etag !== header(response, 'etag')) {
          info = {
            url: req.url,
            etag: header(response, 'etag'),
            lastModified: header(response, 'last-modified'),
          };
          await writeFile(infoPath, JSON.stringify(info));
        }

        // 3. Write what arrives, hashing as it goes.
        // Network reads are small (16-64 kB); they are gathered and written a megabyte at a time. What
        // has arrived is always written before the loop is left, so a cut or a pause loses nothing.
        const pending: Buffer[] = [];
        let pendingBytes = 0;
        const flush = async () => {
          if (pendingBytes === 0) return;
          await writeAllAt(file, pending, offset);
          for (const chunk of pending) hash.update(chunk);
          offset += pendingBytes;
          pending.length = 0;
          pendingBytes = 0;
        };
        try {
          for await (const chunk of response.body as AsyncIterable<Buffer>) {
            if (total !== null && offset + pendingBytes + chunk.length > total) {
              throw failed(req.url, `the server sent more than the ${total} bytes it announced`, false);
            }
            pending.push(chunk);
            pendingBytes += chunk.length;
            meter.add(chunk.length);
            if (pendingBytes >= WRITE_BYTES) await flush();
            report('downloading');
          }
        } finally {
          await flush();
        }
        if (total === null) {
          total = offset; // no length announced: the end of the body is the end of the file
          break;
        }
        if (offset !== total) throw failed(req.url, 'the connection ended early');
        break;
      } catch (caught) {
        if (req.signal.aborted) throw cancelled();
        if (pauseSignal?.aborted) continue; // a pause aborted the request; the bytes so far are kept
        const error = asDownloadError(caught, req.url);
        if (error.details?.retryable !== true) throw error;
        failuresInARow = offset > before ? 1 : failuresInARow + 1;
        if (failuresInARow > maxRetries) throw error;
        report('retrying', true);
        await sleep(Math.min(MAX_RETRY_DELAY_MS, retryDelayMs * 2 ** (failuresInARow - 1)), req.signal);
      }
    }
    await file.datasync();
  } finally {
    stopReports();
    await file.close();
  }

  // 4. Check, then give the file its final name.
  report('checking', true);
  const sha256 = hash.digest('hex');
  if (req.sha256 !== null && sha256 !== req.sha256.toLowerCase()) {
    throw new StirError(
      'CHECKSUM_MISMATCH',
      `The file downloaded from ${req.url} is not the one the pack describes: its sha256 does not match.`,
      {
        hint: 'It was damaged on the way or changed on the server. Nothing was installed; try again, or get the pack from another source.',
        details: { url: req.url, expected: req.sha256.toLowerCase(), actual: sha256, bytes: offset },
      },
    );
  }
  await rename(partPath, req.path);
  await rm(infoPath, { force: true });
  return { path: req.path, bytes: offset, sha256, resumedAt, restarts };
}

/**
 * One GET, following redirects here rather than in the HTTP client so that every hop passes
 * `checkAddress` before anything is sent to it (a public address may redirect to a private one).
 */
async function requestFollowingRedirects(
  req: DownloadRequest,
  signal: AbortSignal,
  headers: Record<string, string>,
): Promise<Dispatcher.ResponseData> {
  let url = new URL(req.url);
  for (let hop = 0; ; hop++) {
    await req.checkAddress?.(url);
    const response = await request(url, { dispatcher: req.dispatcher, signal, headers });
    const location = header(response, 'location');
    if (!REDIRECT_STATUSES.has(response.statusCode) || location === null) return response;
    await response.body.dump();
    if (hop >= MAX_REDIRECTS) throw failed(req.url, `more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url);
    if (next.protocol !== 'https:' && next.protocol !== 'http:')
      throw failed(req.url, `it redirects to ${next.protocol} address, which Stir does not follow`);
    url = next;
  }
}

type Answer =
  | { kind: 'fresh'; total: number | null }
  | { kind: 'resume'; total: number | null }
  | { kind: 'restart'; total: number | null }
  | { kind: 'complete' };

/** What a response means for a download that has `offset` bytes already. */
function interpret(response: Dispatcher.ResponseData, offset: number, url: string): Answer {
  const { statusCode } = response;
  const length = Number(header(response, 'content-length') ?? NaN);
  if (statusCode === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header(response, 'content-range') ?? '');
    const start = range ? Number(range[1]) : NaN;
    const total = range && range[3] !== '*' ? Number(range[3]) : null;
    if (start === offset) return { kind: 'resume', total };
    // A range we did not ask for: use it only if it is the whole file from byte 0.
    if (start === 0) return { kind: 'restart', total };
    void response.body.dump();
    throw failed(url, `the server answered a range request with bytes from ${start}, not ${offset}`);
  }
  if (statusCode === 200) {
    const total = Number.isFinite(length) ? length : null;
    return offset > 0 ? { kind: 'restart', total } : { kind: 'fresh', total };
  }
  if (statusCode === 416 && offset > 0) {
    // "Range Not Satisfiable": fine when we already have every byte (Content-Range: bytes */<total>).
    const total = /^bytes \*\/(\d+)$/.exec(header(response, 'content-range') ?? '');
    if (total && Number(total[1]) === offset) return { kind: 'complete' };
    void response.body.dump();
    throw failed(url, 'the server refused to resume this download', true);
  }
  void response.body.dump();
  const retryable = statusCode === 408 || statusCode === 429 || statusCode >= 500;
  const what =
    statusCode === 404 || statusCode === 410
      ? 'there is no file at that address'
      : statusCode === 401 || statusCode === 403
        ? 'the server refused access'
        : statusCode === 407
          ? 'the proxy asks for a login (set it in HTTPS_PROXY as http://user:password@host:port)'
          : `the server answered ${statusCode} ${response.statusText || ''}`.trim();
  throw failed(url, what, retryable, statusCode);
}

function header(response: Dispatcher.ResponseData, name: string): string | null {
  const value = response.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function failed(url: string, why: string, retryable = false, status?: number): StirError {
  return new StirError('DOWNLOAD_FAILED', `Could not download ${url}: ${why}.`, {
    hint: retryable
      ? 'Check the connection (and the proxy settings, HTTPS_PROXY) and try again; the download resumes where it stopped.'
      : 'Check the address. Nothing was installed.',
    details: { url, retryable, ...(status === undefined ? {} : { status }) },
  });
}

/** Network-level failures in words, marked retryable when a reconnect may help. */
function asDownloadError(caught: unknown, url: string): StirError {
  if (caught instanceof StirError) return caught;
  const code = typeof caught === 'object' && caught !== null && 'code' in caught ? String(caught.code) : '';
  const message = caught instanceof Error ? caught.message : String(caught);
  const why: Record<string, [string, boolean]> = {
    ENOTFOUND: ['the host name could not be found (no internet, or a proxy is needed)', false],
    ECONNREFUSED: ['the server refused the connection', true],
    ECONNRESET: ['the connection was reset', true],
    EPIPE: ['the connection was cut', true],
    ETIMEDOUT: ['the connection timed out', true],
    UND_ERR_SOCKET: ['the connection was cut', true],
    UND_ERR_CONNECT_TIMEOUT: ['the connection timed out', true],
    UND_ERR_HEADERS_TIMEOUT: ['the server stopped answering', true],
    UND_ERR_BODY_TIMEOUT: ['the server stopped sending data', true],
    UND_ERR_RES_CONTENT_LENGTH_MISMATCH: ['the connection ended early', true],
    UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: ['the connection ended early', true],
    UND_ERR_ABORTED: ['the connection was cut', true],
    ENOSPC: ['the disk is full', false],
  };
  const known = why[code];
  if (code === 'ENOSPC') {
    return new StirError('DISK_FULL', `The disk is full: ${url} could not be saved.`, {
      hint: 'Free some space (a pack needs a few gigabytes) and try again.',
      cause: caught,
    });
  }
  const error = failed(url, known ? known[0] : message || 'the connection failed', known ? known[1] : true);
  return new StirError(error.code, error.message, {
    hint: error.hint,
    details: error.details,
    cause: caught,
  });
}

async function writeAllAt(file: FileHandle, chunks: Buffer[], position: number): Promise<void> {
  let buffers = chunks;
  let at = position;
  while (buffers.length > 0) {
    const { bytesWritten } = await file.writev(buffers, at);
    at += bytesWritten;
    // A short write (rare: a full disk, a signal) continues with what is left.
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const buffer of buffers) {
      if (skip >= buffer.length) skip -= buffer.length;
      else {
        rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
        skip = 0;
      }
    }
    buffers = rest;
  }
}

async function hashExisting(path: string, hash: Hash, signal: AbortSignal): Promise<void> {
  for await (const chunk of createReadStream(path, { signal }) as AsyncIterable<Buffer>) hash.update(chunk);
}

async function readPartialInfo(path: string): Promise<PartialInfo | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const p = parsed as Record<string, unknown>;
    if (typeof p.url !== 'string') return null;
    return {
      url: p.url,
      etag: typeof p.etag === 'string' ? p.etag : null,
      lastModified: typeof p.lastModified === 'string' ? p.lastModified : null,
    };
  } catch {
    return null;
  }
}

function cancelled(): StirError {
  return new StirError('CANCELLED', 'The download was cancelled; nothing was installed.');
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
