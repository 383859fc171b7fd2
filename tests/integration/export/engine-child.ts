// A Stir engine in a process of its own, for the kill -9 test (engine-death.test.ts). Two modes:
//   export DATA EXPORTS OUT  starts a long export into OUT and prints "encoding" once ffmpeg has frames;
//   sweep DATA EXPORTS       starts an engine, waits for its start's sweep and prints what it removed.
// Run with `node --import tsx`.
import { join } from 'node:path';
import { createEngine } from '../../../src/engine/create-engine.js';
import { parseParams } from '../../../src/shared/rpc/validate.js';
import { photoPath } from '../../helpers/photos.js';

const [mode, dataDir, exportDir, outDir] = process.argv.slice(2);
if (!mode || !dataDir || !exportDir)
  throw new Error('usage: engine-child.ts export|sweep DATA EXPORTS [OUT]');
const engine = createEngine({ dataDir, exportDir, workers: 1 });

if (mode === 'sweep') {
  const report = await engine.leftoversSwept;
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await engine.dispose();
} else {
  if (!outDir) throw new Error('export needs an output folder');
  await engine.leftoversSwept;
  const { service, bus } = engine;
  const doc = await service.openPhoto(
    parseParams('openPhoto', { source: { kind: 'path', path: photoPath('coffee.png') } }),
  );
  const mask = new Uint8Array(doc.width * doc.height).fill(255);
  await service.createRegion(
    parseParams('createRegion', {
      docId: doc.docId,
      region: { mask: { width: doc.width, height: doc.height, data: mask }, motion: { prompt: 'zoom in' } },
    }),
  );
  await service.updateSettings(parseParams('updateSettings', { docId: doc.docId, patch: { seconds: 10 } }));
  let told = false;
  bus.subscribe((event, payload) => {
    if (event === 'jobProgress' && 'stage' in payload && payload.stage === 'Encoding' && !told) {
      told = true;
      process.stdout.write('encoding\n');
    }
    if (event === 'jobDone' || event === 'jobFailed') process.stdout.write(`${event}\n`);
  });
  await service.startExport(
    parseParams('startExport', {
      docId: doc.docId,
      format: 'mp4-h264',
      path: join(outDir, 'clip.mp4'),
      // 600 frames: the export is still encoding when the test kills this process.
      fps: 60,
    }),
  );
}
