// Editing a zip's headers in place, to build the damaged and hostile zips a reader must refuse: a wrong
// CRC, a size that lies, a second central record pointing at the bytes of another entry.
import { crc32 } from 'node:zlib';

const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;

export interface CentralRecord {
  name: string;
  /** Where the record starts in the zip. */
  at: number;
  /** Where the entry's local header starts. */
  localAt: number;
  length: number;
}

function endRecordAt(zip: Uint8Array): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = zip.length - 22; at >= 0; at--) if (view.getUint32(at, true) === END_OF_CENTRAL) return at;
  throw new Error('no end of central directory record');
}

export function centralRecords(zip: Uint8Array): CentralRecord[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = endRecordAt(zip);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const records: CentralRecord[] = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== CENTRAL_HEADER) throw new Error(`no central record at ${at}`);
    const nameLength = view.getUint16(at + 28, true);
    const length = 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    records.push({ name, at, localAt: view.getUint32(at + 42, true), length });
    at += length;
  }
  return records;
}

function record(zip: Uint8Array, name: string): CentralRecord {
  const found = centralRecords(zip).find((r) => r.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found;
}

/** A copy of `zip` with the CRC-32 of `name` (central and local) replaced. */
export function withCrc(zip: Uint8Array, name: string, crc: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const r = record(out, name);
  view.setUint32(r.at + 16, crc >>> 0, true);
  view.setUint32(r.localAt + 14, crc >>> 0, true);
  return out;
}

/** A copy of `zip` whose entry `name` declares `size` unpacked bytes (central and local). */
export function withDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const r = record(out, name);
  view.setUint32(r.at + 24, size, true);
  view.setUint32(r.localAt + 22, size, true);
  return out;
}

/**
 * A copy of `zip` with `copies` more central records, each a copy of `name`'s renamed to `alias(i)` (the
 * same length), all pointing at that entry's bytes: overlapping entries.
 */
export function withAliases(
  zip: Uint8Array,
  name: string,
  copies: number,
  alias: (i: number) => string,
): Uint8Array {
  const end = endRecordAt(zip);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const r = record(zip, name);
  const extra: Uint8Array[] = [];
  for (let i = 0; i < copies; i++) {
    const copy = zip.slice(r.at, r.at + r.length);
    const aliasBytes = new TextEncoder().encode(alias(i));
    if (aliasBytes.length !== new TextEncoder().encode(name).length) throw new Error('alias length differs');
    copy.set(aliasBytes, 46);
    extra.push(copy);
  }
  const added = extra.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(zip.length + added);
  out.set(zip.subarray(0, end), 0);
  let at = end;
  for (const part of extra) {
    out.set(part, at);
    at += part.length;
  }
  out.set(zip.subarray(end), at);
  const outView = new DataView(out.buffer);
  const count = view.getUint16(end + 10, true) + copies;
  outView.setUint16(at + 8, count, true);
  outView.setUint16(at + 10, count, true);
  outView.setUint32(at + 12, view.getUint32(end + 12, true) + added, true);
  return out;
}

/** The CRC-32 a zip records for `data`. */
export function crcOf(data: Uint8Array): number {
  return crc32(data);
}
