// A render worker: builds one animation's plan when asked (the first ready worker does), holds the plan
// (its arrays are shared, not copied) and renders the frames it is asked for; it outlives the animation
// and serves the next ones (warm-workers.ts). Cancellation: the main thread bumps a shared epoch; a frame
// started under an older epoch stops within a few rows. A plan being built is not cancelled here: the
// pool stops that worker (worker.terminate) instead.
import { parentPort } from 'node:worker_threads';
import { StirError } from '../../shared/index.js';
import { createScratch, renderFrameInto } from './render-frame.js';
import type { FramePlan } from './plan.js';
import { buildPlan, type PlanInput } from './prepare.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('render worker started outside a worker thread');

let plan: FramePlan | null = null;
let epoch: Int32Array = new Int32Array(1);
let scratch = createScratch();
/**
 * Frame buffers given back (recycle): a frame is rendered into one of them rather than into new memory.
 * A new 10 MB buffer for every storm frame cost the first touch of each of its pages here, and a garbage
 * collection on the engine's thread every few frames to free the last ones.
 */
let spare: ArrayBuffer[] = [];
/** Enough for the frames in flight between the workers, the engine and ffmpeg (animation.ts: two a worker). */
const SPARE_FRAMES = 4;

async function prepare(input: PlanInput): Promise<void> {
  const send = (reply: WorkerReply) => port!.postMessage(reply);
  try {
    const progress = (stage: string, fraction: number) => send({ type: 'progress', stage, fraction });
    const prepared = await buildPlan(input, { signal: new AbortController().signal, progress });
    const regions = prepared.regions.map((report, i) =>
      report.motionArea === input.regions[i]?.mask ? { ...report, motionArea: null } : report,
    );
    send({ type: 'prepared', plan: prepared.plan, regions });
  } catch (caught) {
    const error = StirError.fromCaught(caught);
    if (error.code === 'INTERNAL') console.error('stir: building the motion plan failed', caught);
    send({ type: 'prepareFailed', error: error.toPayload() });
  }
}

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'prepare') {
    void prepare(message.input);
    return;
  }
  if (message.type === 'release') {
    // Back among the warm workers: the plan's shared memory goes with the animation, and the scratch
    // buffers sized for it too.
    plan = null;
    scratch = createScratch();
    spare = [];
    // Messages are handled in order: any frame it was rendering has stopped, and it is free.
    port.postMessage({ type: 'ready' } satisfies WorkerReply);
    return;
  }
  if (message.type === 'plan') {
    plan = message.plan;
    epoch = message.epoch;
    spare = [];
    return;
  }
  if (message.type === 'recycle') {
    const fits = plan !== null && message.buffer.byteLength === plan.width * plan.height * 4;
    if (fits && spare.length < SPARE_FRAMES) spare.push(message.buffer);
    return;
  }
  const { id, index, epoch: started } = message;
  const reply = (value: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(value, transfer);
  if (!plan) {
    reply({ type: 'failed', id, cancelled: false, message: 'The worker has no animation to render.' });
    return;
  }
  const buffer = spare.pop() ?? new ArrayBuffer(plan.width * plan.height * 4);
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
