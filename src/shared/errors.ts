// Typed errors that cross every transport. A person reads `message` (and `hint`, what to do about it);
// code reads `code`. Expected refusals (a click outside the image, an unknown motion word) are errors with a
// precise code, never crashes.

export const ERROR_CODES = [
  'BAD_REQUEST', // a payload failed validation
  'NOT_FOUND', // an id (photo, region, job, pack) that does not exist
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'NOT_AN_IMAGE',
  'IMAGE_TOO_LARGE',
  'CLICK_OUTSIDE_IMAGE',
  'EMPTY_MASK',
  'UNKNOWN_MOTION',
  'NEEDS_DIFFUSION', // a motion word only the diffusion engine can do (smile, blink, dance)
  'OUTPUT_UNWRITABLE',
  'DISK_FULL',
  'FFMPEG_MISSING',
  'FFMPEG_FAILED',
  'UNSUPPORTED_FORMAT',
  'CANCELLED',
  'BUSY',
  'PACK_MISSING',
  'PACK_INVALID',
  'PROVIDER_FAILED',
  'OUT_OF_MEMORY',
  'DOWNLOAD_FAILED',
  'CHECKSUM_MISMATCH',
  'PATH_ESCAPE',
  'PROJECT_INVALID',
  'UNAUTHORIZED',
  'TRANSPORT_CLOSED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What crosses a transport: plain data, no stack. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** What the person can do about it, when there is something. */
  hint?: string;
  /** Machine-readable extras (the closest motion words, the expected tensor shape...). */
  details?: Record<string, unknown>;
}

export class StirError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StirError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: this.message };
    if (this.hint !== undefined) payload.hint = this.hint;
    if (this.details !== undefined) payload.details = this.details;
    return payload;
  }

  static fromPayload(payload: ErrorPayload): StirError {
    return new StirError(payload.code, payload.message, { hint: payload.hint, details: payload.details });
  }

  /** Wraps anything thrown into a StirError, keeping the original as `cause`. */
  static fromCaught(caught: unknown, fallbackCode: ErrorCode = 'INTERNAL'): StirError {
    if (caught instanceof StirError) return caught;
    if (isAbortError(caught)) return new StirError('CANCELLED', 'The job was cancelled.', { cause: caught });
    const message = caught instanceof Error ? caught.message : String(caught);
    return new StirError(fallbackCode, message || 'Something went wrong.', { cause: caught });
  }
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code) &&
    typeof v.message === 'string'
  );
}

export function isAbortError(caught: unknown): boolean {
  return (
    typeof caught === 'object' &&
    caught !== null &&
    'name' in caught &&
    ((caught as { name: unknown }).name === 'AbortError' ||
      (caught instanceof StirError && caught.code === 'CANCELLED'))
  );
}

/** Throws CANCELLED when the signal has fired; long loops call it once per step. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
}
