// Messages between the motion engine and its render workers. A worker first builds the plan (prepare:
// seconds of work on a large photo, kept off the engine's event loop), then renders frames of it; when
// its animation is disposed it drops the plan (release) and waits warm for the next one (warm-workers.ts).
import type { ErrorPayload } from '../../shared/index.js';
import type { FramePlan } from './plan.js';
import type { PlanInput, RegionReport } from './prepare.js';

export type WorkerRequest =
  | { type: 'prepare'; input: PlanInput }
  | { type: 'plan'; plan: FramePlan; epoch: Int32Array }
  | { type: 'render'; id: number; index: number; epoch: number }
  /** A frame's memory the caller is done with: a later frame is rendered into it. */
  | { type: 'recycle'; buffer: ArrayBuffer }
  | { type: 'release' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; stage: string; fraction: number }
  /**
   * motionArea null: the region's own mask, which the caller already holds (a 12 MP mask cost tens of
   * milliseconds to copy back after every edit).
   */
  | { type: 'prepared'; plan: FramePlan; regions: SentReport[] }
  | { type: 'prepareFailed'; error: ErrorPayload }
  | { type: 'frame'; id: number; index: number; buffer: ArrayBuffer }
  | { type: 'failed'; id: number; cancelled: boolean; message: string };

/** A region's report as a worker sends it back. */
export type SentReport = Omit<RegionReport, 'motionArea'> & { motionArea: RegionReport['motionArea'] | null };
