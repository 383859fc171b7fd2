// Mutations of real inputs, reproducible from a seed: generic byte damage (bit flips, overwrites, cuts,
// repeats, splices) and format-aware damage that aims at the costly paths (a header that claims a huge
// size, a zip entry that lies about its size or CRC, entries sharing bytes, a manifest with a thousand
// regions or a path that climbs out).
import { crc32 } from 'node:zlib';

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function random(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rand: Random, below: number): number => Math.floor(rand() * below);
export const pick = <T>(rand: Random, items: readonly T[]): T => items[int(rand, items.length)] as T;

/** Sizes a hostile header likes to claim. */
const HOSTILE_SIZES = [0, 1, 8191, 8192, 8193, 9000, 12_000, 16_383, 16_384, 30_000, 65_535];

export function mutateBytes(bytes: Uint8Array, rand: Random, other?: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const at = () => int(rand, Math.max(1, out.length));
  switch (int(rand, 7)) {
    case 0: // a few bit flips
      for (let n = 1 + int(rand, 8); n > 0; n--) {
        const i = at();
        out[i] = (out[i] ?? 0) ^ (1 << int(rand, 8));
      }
      return out;
    case 1: {
      // a run of bytes overwritten with noise, zeros or 0xFF
      const start = at();
      const fill = pick(rand, [-1, 0, 0xff]);
      for (let i = start; i < Math.min(out.length, start + 1 + int(rand, 64)); i++)
        out[i] = fill < 0 ? int(rand, 256) : fill;
      return out;
    }
    case 2: // cut short
      return out.subarray(0, at());
    case 3: {
      // a slice repeated in place
      const start = at();
      const slice = out.subarray(start, start + 1 + int(rand, 4096));
      return concat([out.subarray(0, start), slice, slice, out.subarray(start + slice.length)]);
    }
    case 4: {
      // random bytes inserted
      const start = at();
      const noise = Uint8Array.from({ length: 1 + int(rand, 32) }, () => int(rand, 256));
      return concat([out.subarray(0, start), noise, out.subarray(start)]);
    }
    case 5: // the head of one input on the tail of another
      return other ? concat([out.subarray(0, at()), other.subarray(int(rand, other.length))]) : out.reverse();
    default: // a 16- or 32-bit field set to an extreme
      if (out.length > 4) {
        const i = int(rand, out.length - 4);
        const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
        if (rand() < 0.5) view.setUint16(i, pick(rand, HOSTILE_SIZES), rand() < 0.5);
        else view.setUint32(i, pick(rand, [0, 0x7fffffff, 0xffffffff, 1 << 30]), rand() < 0.5);
      }
      return out;
  }
}

/** A JPEG whose start-of-frame claims another size; a PNG whose IHDR does (its CRC fixed or not). */
export function claimSize(bytes: Uint8Array, rand: Random): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const width = pick(rand, HOSTILE_SIZES);
  const height = pick(rand, HOSTILE_SIZES);
  if (out[0] === 0xff && out[1] === 0xd8) {
    for (let i = 2; i + 9 < out.length; i++) {
      if (out[i] === 0xff && out[i + 1] !== undefined && out[i + 1]! >= 0xc0 && out[i + 1]! <= 0xc2) {
        view.setUint16(i + 5, height);
        view.setUint16(i + 7, width);
        return out;
      }
    }
  } else if (out[1] === 0x50 && out[2] === 0x4e && out[3] === 0x47 && out.length > 33) {
    view.setUint32(16, width);
    view.setUint32(20, height);
    if (rand() < 0.8) view.setUint32(29, crc32(out.subarray(12, 29)));
  }
  return mutateBytes(out, rand);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// --- zip headers -------------------------------------------------------------------------------------

interface Central {
  at: number;
  localAt: number;
  length: number;
}

function centralRecords(zip: Uint8Array): Central[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = -1;
  for (let i = zip.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return [];
  const records: Central[] = [];
  let at = view.getUint32(end + 16, true);
  for (let n = view.getUint16(end + 10, true); n > 0 && at + 46 <= zip.length; n--) {
    if (view.getUint32(at, true) !== 0x02014b50) break;
    const length =
      46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    records.push({ at, localAt: view.getUint32(at + 42, true), length });
    at += length;
  }
  return records;
}

/** Damage aimed at a zip reader: sizes, CRCs, offsets, names and attributes in its headers. */
export function mutateZip(zip: Uint8Array, rand: Random): Uint8Array {
  const records = centralRecords(zip);
  if (records.length === 0) return mutateBytes(zip, rand);
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const r = pick(rand, records);
  const localOk = r.localAt + 30 <= out.length;
  switch (int(rand, 7)) {
    case 0: {
      // declared unpacked size: huge, tiny, or off by one
      const size = pick(rand, [0, 10, 0x7fffffff, 0xfffffffe, view.getUint32(r.at + 24, true) + 1]);
      view.setUint32(r.at + 24, size, true);
      if (localOk && rand() < 0.7) view.setUint32(r.localAt + 22, size, true);
      return out;
    }
    case 1: {
      const crc = int(rand, 0xffffffff);
      view.setUint32(r.at + 16, crc, true);
      if (localOk) view.setUint32(r.localAt + 14, crc, true);
      return out;
    }
    case 2: // every record points at one entry's bytes (entries overlap)
      for (const other of records) view.setUint32(other.at + 42, r.localAt, true);
      return out;
    case 3: // compressed size or method changed
      if (rand() < 0.5) view.setUint32(r.at + 20, pick(rand, [0, 1, 0x7fffffff]), true);
      else view.setUint16(r.at + 10, pick(rand, [0, 8, 12, 99]), true);
      return out;
    case 4: {
      // the name rewritten: climbing out, absolute, a folder, or another entry's
      const nameLength = view.getUint16(r.at + 28, true);
      const name = pick(rand, ['../', '/', 'a/', '..\\', '\0', 'C:']);
      const bytes = new TextEncoder().encode(name);
      out.set(bytes.subarray(0, nameLength), r.at + 46);
      return out;
    }
    case 5: // Unix attributes: a link, a FIFO, a device
      view.setUint16(r.at + 4, (3 << 8) | 20, true);
      view.setUint32(r.at + 38, (pick(rand, [0o120777, 0o010644, 0o020644, 0o040755]) << 16) >>> 0, true);
      return out;
    default: // the entry count in the end record
      return mutateBytes(out, rand);
  }
}
