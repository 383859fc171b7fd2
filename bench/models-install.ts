// Model pack install benchmarks (issue 7): what our own code costs per byte of a pack, measured without a
// network (a server on 127.0.0.1): downloading with hashing, re-checking a file's sha256 (verify), and
// unpacking a stored zip. A real pack is 2-6 GB, so a figure here times ~50 is what a person waits on
// top of the network and the disk.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile } from '../src/engine/models/install/download.js';
import { createDownloadClient } from '../src/engine/models/install/http-client.js';
import { extractZip } from '../src/engine/models/install/zip.js';
import { sha256File } from '../src/engine/models/validate.js';
import { zipEntries } from '../tests/unit/models-install/helpers/files.js';
import { PackServer } from '../tests/unit/models-install/helpers/pack-server.js';
import { timeMedian, type BenchRow, type BenchSuite } from './harness.js';

const MB = 1_000_000;
const SIZE = 64 * MB;

export const benchModelsInstall: BenchSuite = async () => {
  const rows: BenchRow[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'stir-bench-models-'));
  const server = await PackServer.start();
  const client = createDownloadClient({});
  try {
    const body = new Uint8Array(SIZE);
    for (let i = 0; i < SIZE; i += 4096) body[i] = (i >> 12) & 0xff;
    const sha256 = createHash('sha256').update(body).digest('hex');
    const url = server.serve('/bench.bin', { body });
    const perMB = (ms: number) => `${((SIZE / MB / ms) * 1000).toFixed(0)} MB/s`;

    let n = 0;
    const download = await timeMedian(async () => {
      const path = join(dir, `download-${n++}.bin`);
      await downloadFile({
        url,
        path,
        sha256,
        size: SIZE,
        dispatcher: client.dispatcher,
        signal: new AbortController().signal,
      });
      await rm(path);
    }, 3);
    rows.push({
      group: 'models',
      name: 'download + sha256, 64 MB from 127.0.0.1',
      value: download,
      unit: 'ms',
      note: perMB(download),
    });

    const file = join(dir, 'verify.bin');
    await writeFile(file, body);
    const verify = await timeMedian(() => sha256File(file), 3);
    rows.push({
      group: 'models',
      name: 'verify (sha256 of a file), 64 MB',
      value: verify,
      unit: 'ms',
      note: perMB(verify),
    });

    const zip = join(dir, 'pack.zip');
    await writeFile(zip, zipEntries({ 'stir-pack.json': new Uint8Array(10), 'unet/model.onnx_data': body }));
    let m = 0;
    const unzip = await timeMedian(async () => {
      const out = join(dir, `unzip-${m++}`);
      await mkdir(out);
      await extractZip(zip, out, {
        signal: new AbortController().signal,
        select: async (listing) => new Map(listing.files.map((f) => [f.name, f.bytes])),
      });
      await rm(out, { recursive: true });
    }, 3);
    rows.push({
      group: 'models',
      name: 'unpack a stored zip, 64 MB',
      value: unzip,
      unit: 'ms',
      note: perMB(unzip),
    });
  } finally {
    await client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
};
