// Messages between the motion engine and its render workers.
import type { FramePlan } from './plan.js';

export type WorkerRequest =
  | { type: 'plan'; plan: FramePlan; epoch: Int32Array }
  | { type: 'render'; id: number; index: number; epoch: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'frame'; id: number; index: number; buffer: ArrayBuffer }
  | { type: 'failed'; id: number; cancelled: boolean; message: string };
