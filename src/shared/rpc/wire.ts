// Binary-safe framing for transports that carry bytes, not objects (WebSocket). Uint8Arrays (images,
// masks) travel as raw bytes after a JSON header, never as base64 or number arrays.
//
// Frame layout: [u32 header length][header JSON, UTF-8][u32 length][bytes]... one block per array, in the
// order their {"$bytes": index} placeholders appear in the header.

const PLACEHOLDER = '$bytes';

export function encodeFrame(message: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  // A function, not an arrow: JSON.stringify has already called toJSON (Node's Buffer has one) on `value`,
  // so the original object is read from the holder, `this[key]`.
  const header = JSON.stringify(
    message,
    function (this: Record<string, unknown>, key: string, value: unknown) {
      const original = this[key];
      if (original instanceof Uint8Array) {
        blobs.push(original);
        return { [PLACEHOLDER]: blobs.length - 1 };
      }
      return value;
    },
  );
  const headerBytes = new TextEncoder().encode(header);
  const total = 4 + headerBytes.length + blobs.reduce((sum, b) => sum + 4 + b.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length);
  out.set(headerBytes, 4);
  let offset = 4 + headerBytes.length;
  for (const blob of blobs) {
    view.setUint32(offset, blob.length);
    out.set(blob, offset + 4);
    offset += 4 + blob.length;
  }
  return out;
}

export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.length < 4) throw new Error('frame too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = view.getUint32(0);
  if (4 + headerLength > frame.length) throw new Error('frame header overruns the frame');
  const header = new TextDecoder().decode(frame.subarray(4, 4 + headerLength));
  const blobs: Uint8Array[] = [];
  let offset = 4 + headerLength;
  while (offset < frame.length) {
    if (offset + 4 > frame.length) throw new Error('truncated frame');
    const length = view.getUint32(offset);
    if (offset + 4 + length > frame.length) throw new Error('truncated frame');
    // Copy, so the result does not pin the whole frame's buffer.
    blobs.push(frame.slice(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return JSON.parse(header, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && PLACEHOLDER in value) {
      const index = (value as Record<string, unknown>)[PLACEHOLDER];
      if (typeof index !== 'number' || !blobs[index]) throw new Error('bad bytes placeholder');
      return blobs[index];
    }
    return value;
  });
}

/** Messages of the WebSocket protocol. */
export type WireMessage =
  | { t: 'call'; id: number; method: string; params: unknown }
  | { t: 'reply'; id: number; envelope: unknown }
  | { t: 'event'; event: string; payload: unknown };
