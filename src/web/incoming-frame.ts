// Reads one WebSocket frame from the page as a contract call. Anything else (a text frame, bytes that do
// not decode, a header that is not a call: `null`, an array, a call without a numeric id) becomes a plain
// refusal the server answers with, never an exception on the server's side.
import { z } from 'zod';
import { decodeFrame, type CallEnvelope } from '../shared/index.js';

const CallFrameSchema = z.object({
  t: z.literal('call'),
  id: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(200),
  params: z.unknown(),
});
export type CallFrame = z.infer<typeof CallFrameSchema>;

/** The id of a refusal whose frame had no usable id: the page's transport numbers its calls from 1. */
export const NO_CALL_ID = 0;

export type IncomingFrame =
  { ok: true; call: CallFrame } | { ok: false; id: number; envelope: CallEnvelope & { ok: false } };

export function readIncomingFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): IncomingFrame {
  if (!isBinary) return refuse(NO_CALL_ID, 'Stir speaks binary frames on this socket, not text.');
  let header: unknown;
  try {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    header = decodeFrame(bytes);
  } catch (caught) {
    return refuse(NO_CALL_ID, `The frame could not be read (${(caught as Error).message}).`);
  }
  const parsed = CallFrameSchema.safeParse(header);
  if (parsed.success) return { ok: true, call: parsed.data };
  const id = (header as { id?: unknown } | null)?.id;
  const usable = typeof id === 'number' && Number.isSafeInteger(id) && id >= 1 ? id : NO_CALL_ID;
  const where = parsed.error.issues[0];
  const field = where && where.path.length > 0 ? where.path.map(String).join('.') : 'the frame';
  return refuse(usable, `The frame is not a call (${field}: ${where?.message ?? 'invalid'}).`);
}

function refuse(id: number, message: string): IncomingFrame {
  return { ok: false, id, envelope: { ok: false, error: { code: 'BAD_REQUEST', message } } };
}
