// The .stir container is an ordinary zip (APPNOTE 6.3.x): a person can open it with any unzip tool and
// find project.json, the photo and one PNG per region mask. Writing needs only local headers, a central
// directory and its end record; reading goes through yauzl, which checks sizes and CRCs.
import { crc32, deflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { StirError } from '../../shared/index.js';

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

/** Reads every entry of a zip held in memory; `what` names the file in messages. */
export async function readZip(bytes: Uint8Array, what: string): Promise<Map<string, Uint8Array>> {
  const notAProject = (cause: unknown) =>
    new StirError(
      'PROJECT_INVALID',
      `${what} is not a Stir project (it is not a .stir file, or it is damaged).`,
      {
        hint: 'Open a .stir file saved by Stir; to start from a photo, open the photo instead.',
        cause,
      },
    );
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch (caught) {
    throw notAProject(caught);
  }
  try {
    const files = new Map<string, Uint8Array>();
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      const parts: Buffer[] = [];
      for await (const part of stream) parts.push(part as Buffer);
      files.set(entry.fileName, new Uint8Array(Buffer.concat(parts)));
    }
    return files;
  } catch (caught) {
    throw notAProject(caught);
  } finally {
    zip.close();
  }
}

/** MS-DOS date and time (local time, 2-second resolution), as zip headers store them. */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}
