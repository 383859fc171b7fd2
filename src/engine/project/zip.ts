// The .stir container is an ordinary zip (APPNOTE 6.3.x): a person can open it with any unzip tool and
// find project.json, the photo and one PNG per region mask. Writing needs only local headers, a central
// directory and its end record. Reading goes through yauzl (sizes checked as entries inflate); the CRCs,
// the caps and the layout checks are ours.
import { crc32, deflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { StirError, formatBytes } from '../../shared/index.js';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** Already-compressed data (PNG, JPEG) is stored; text and raw bytes are deflated. */
  compress: boolean;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const VERSION = 20; // 2.0: deflate
const UTF8_NAMES = 1 << 11; // general purpose bit 11: names are UTF-8

/** Builds a zip in memory. Projects stay well under 4 GiB (photos up to 8192 px), so no zip64 is needed. */
export function writeZip(entries: readonly ZipEntry[], modified = new Date()): Uint8Array {
  const { time, date } = dosDateTime(modified);
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const stored = entry.compress ? deflateRawSync(entry.data, { level: 6 }) : entry.data;
    const method = entry.compress ? 8 : 0;
    const crc = crc32(entry.data);
    if (offset + stored.length > 0xffffffff) {
      throw new StirError('INTERNAL', 'The project is too large for one file (over 4 GiB).');
    }

    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, LOCAL_HEADER, true);
    local.setUint16(4, VERSION, true);
    local.setUint16(6, UTF8_NAMES, true);
    local.setUint16(8, method, true);
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, stored.length, true);
    local.setUint32(22, entry.data.length, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);

    const record = new DataView(new ArrayBuffer(46));
    record.setUint32(0, CENTRAL_HEADER, true);
    record.setUint16(4, VERSION, true);
    record.setUint16(6, VERSION, true);
    record.setUint16(8, UTF8_NAMES, true);
    record.setUint16(10, method, true);
    record.setUint16(12, time, true);
    record.setUint16(14, date, true);
    record.setUint32(16, crc, true);
    record.setUint32(20, stored.length, true);
    record.setUint32(24, entry.data.length, true);
    record.setUint16(28, name.length, true);
    // extra length, comment length, disk number, internal attributes, external attributes: all 0
    record.setUint32(42, offset, true);

    chunks.push(new Uint8Array(local.buffer), name, stored);
    central.push(new Uint8Array(record.buffer), name);
    offset += 30 + name.length + stored.length;
  }

  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, END_OF_CENTRAL, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);

  const parts = [...chunks, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** More entries than a project ever has (project.json, the photo, 16 masks and a few folders). */
const MAX_ENTRIES = 256;
const LOCAL_HEADER_BYTES = 30;

/**
 * A zip held in memory whose entries are read one by one, by name: nothing is inflated unless asked
 * for, each entry is capped while it streams, and its CRC-32 is checked against the zip's.
 */
export interface ProjectZip {
  has(name: string): boolean;
  /** The entry's bytes, or null when there is none of that name; refused when over `maxBytes`. */
  read(name: string, maxBytes: number): Promise<Uint8Array | null>;
  close(): void;
}

/**
 * Opens a zip held in memory; `what` names the file in messages. Its central directory is read and
 * checked first: a bounded number of entries, no name twice, and no two entries sharing bytes (a zip
 * "bomb" points many entries at the same deflated data).
 */
export async function openZip(bytes: Uint8Array, what: string): Promise<ProjectZip> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch (caught) {
    throw notAProject(what, caught);
  }
  try {
    if (zip.entryCount > MAX_ENTRIES) {
      throw damaged(what, `it holds ${zip.entryCount} files, more than a project ever has`);
    }
    const entries = new Map<string, yauzl.Entry>();
    try {
      for await (const entry of zip.eachEntry()) {
        if (entries.has(entry.fileName)) throw damaged(what, `it holds ${entry.fileName} twice`);
        entries.set(entry.fileName, entry);
      }
    } catch (caught) {
      if (caught instanceof StirError) throw caught;
      throw notAProject(what, caught);
    }
    assertNoOverlap([...entries.values()], what);
    return {
      has: (name) => entries.has(name),
      read: async (name, maxBytes) => {
        const entry = entries.get(name);
        return entry ? readEntry(zip, entry, maxBytes, what) : null;
      },
      close: () => zip.close(),
    };
  } catch (caught) {
    zip.close();
    throw caught;
  }
}

function assertNoOverlap(entries: yauzl.Entry[], what: string): void {
  const spans = entries
    .map((e) => ({
      name: e.fileName,
      start: e.relativeOffsetOfLocalHeader,
      // The local header's own extra field is not known yet: this end is the least it can be.
      end: e.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES + e.fileNameLength + e.compressedSize,
    }))
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const before = spans[i - 1];
    const after = spans[i];
    if (before && after && after.start < before.end) {
      throw damaged(what, `its entries ${before.name} and ${after.name} overlap`);
    }
  }
}

async function readEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const name = entry.fileName;
  const tooLarge = () =>
    damaged(
      what,
      `its ${name} would unpack to more than ${formatBytes(maxBytes)}, more than a project holds`,
    );
  if (entry.uncompressedSize > maxBytes) throw tooLarge();
  const parts: Buffer[] = [];
  let length = 0;
  let crc = 0;
  try {
    const stream = await zip.openReadStreamPromise(entry);
    for await (const part of stream) {
      const chunk = part as Buffer;
      length += chunk.length;
      // yauzl stops at the declared size too; this holds even where it would not.
      if (length > maxBytes) {
        stream.destroy();
        throw tooLarge();
      }
      crc = crc32(chunk, crc);
      parts.push(chunk);
    }
  } catch (caught) {
    if (caught instanceof StirError) throw caught;
    throw damaged(what, `its ${name} does not unpack`, caught);
  }
  if (crc !== entry.crc32) throw damaged(what, `its ${name} fails its checksum`);
  return new Uint8Array(Buffer.concat(parts, length));
}

function notAProject(what: string, cause: unknown): StirError {
  return new StirError(
    'PROJECT_INVALID',
    `${what} is not a Stir project (it is not a .stir file, or it is damaged).`,
    {
      hint: 'Open a .stir file saved by Stir; to start from a photo, open the photo instead.',
      cause,
    },
  );
}

function damaged(what: string, why: string, cause?: unknown): StirError {
  return new StirError('PROJECT_INVALID', `${what} is damaged: ${why}.`, { cause });
}

/** MS-DOS date and time (local time, 2-second resolution), as zip headers store them. */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}
