// A render worker: holds one animation's plan (its arrays are shared, not copied) and renders the frames
// it is asked for. Cancellation: the main thread bumps a shared epoch; a frame started under an older
// epoch stops within a few rows.
import { parentPort } from 'node:worker_threads';
import { createScratch, renderFrameInto } from './render-frame.js';
import type { FramePlan } from './plan.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('render worker started outside a worker thread');

let plan: FramePlan | null = null;
let epoch: Int32Array = new Int32Array(1);
const scratch = createScratch();

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'plan') {
    plan = message.plan;
    epoch = message.epoch;
    return;
  }
  const { id, index, epoch: started } = message;
  const reply = (value: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(value, transfer);
  if (!plan) {
    reply({ type: 'failed', id, cancelled: false, message: 'The worker has no animation to render.' });
    return;
  }
  const buffer = new ArrayBuffer(plan.width * plan.height * 4);
  try {
    renderFrameInto(plan, index, new Uint8Array(buffer), scratch, () => Atomics.load(epoch, 0) !== started);
    reply({ type: 'frame', id, index, buffer }, [buffer]);
  } catch (caught) {
    const cancelled = Atomics.load(epoch, 0) !== started;
    reply({
      type: 'failed',
      id,
      cancelled,
      message: caught instanceof Error ? caught.message : String(caught),
    });
  }
});

port.postMessage({ type: 'ready' } satisfies WorkerReply);
