// Render workers kept warm between renders (issue 13, point 1). Starting a worker loads the engine's
// modules, which took longer than a preview's whole plan (about 2 s from source on two cores): an editor
// that re-renders after every edit paid it each time. An animation borrows its workers here; when it is
// disposed the idle ones come back, drop their plan (its shared memory is freed with the animation), and
// wait keepWarmMs for the next render before they are stopped. Idle workers are unref'd, so they never
// keep a process (the CLI, a test) alive, and close() stops them all.
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers/spawn.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

/** A worker lent to an animation; `ready` when it has already said so (a warm one). */
export interface LentWorker {
  worker: Worker;
  ready: boolean;
}

export interface WarmWorkerStats {
  /** Workers started since the engine was made. */
  spawned: number;
  /** Workers waiting for the next render. */
  idle: number;
}

interface Idle {
  worker: Worker;
  /** It has answered 'release' with 'ready': whatever it was doing has stopped. */
  ready: boolean;
  timer: NodeJS.Timeout;
  onExit: () => void;
  onMessage: (reply: WorkerReply) => void;
}

export class WarmWorkers {
  readonly #url: URL;
  readonly #keepWarmMs: number;
  readonly #most: number;
  readonly #idle: Idle[] = [];
  #spawned = 0;
  #closed = false;

  /** Keeps at most `most` idle workers, each for `keepWarmMs` after its last render. */
  constructor(url: URL, keepWarmMs: number, most: number) {
    this.#url = url;
    this.#keepWarmMs = keepWarmMs;
    this.#most = most;
  }

  get stats(): WarmWorkerStats {
    return { spawned: this.#spawned, idle: this.#idle.length };
  }

  /**
   * A worker that waits (the most recently used ready one first; else one still stopping its last frame,
   * which says 'ready' when it has), or a new one still loading.
   */
  take(): LentWorker {
    const ready = this.#idle.findLastIndex((entry) => entry.ready);
    const idle = this.#idle.splice(ready >= 0 ? ready : this.#idle.length - 1, 1)[0];
    if (idle) {
      this.#forget(idle);
      idle.worker.ref();
      return { worker: idle.worker, ready: idle.ready };
    }
    this.#spawned++;
    return { worker: spawnWorker(this.#url), ready: false };
  }

  /**
   * Takes back a worker that is not building a plan (it may still be loading or stopping a frame); beyond
   * `most`, or once closed, it is stopped.
   */
  give(worker: Worker): void {
    if (this.#closed || this.#idle.length >= this.#most || this.#keepWarmMs <= 0) {
      void worker.terminate().catch(() => 0);
      return;
    }
    worker.postMessage({ type: 'release' } satisfies WorkerRequest);
    worker.unref();
    const entry: Idle = {
      worker,
      ready: false,
      timer: setTimeout(() => this.#stop(entry), this.#keepWarmMs),
      onExit: () => this.#forget(entry),
      onMessage: (reply) => {
        if (reply.type === 'ready') entry.ready = true;
      },
    };
    entry.timer.unref();
    worker.once('exit', entry.onExit);
    worker.on('message', entry.onMessage);
    this.#idle.push(entry);
  }

  /** Stops every idle worker; workers given back later are stopped at once. */
  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    await Promise.all(
      idle.map((entry) => {
        clearTimeout(entry.timer);
        return entry.worker.terminate().catch(() => 0);
      }),
    );
  }

  #stop(entry: Idle): void {
    this.#forget(entry);
    void entry.worker.terminate().catch(() => 0);
  }

  #forget(entry: Idle): void {
    const at = this.#idle.indexOf(entry);
    if (at >= 0) this.#idle.splice(at, 1);
    clearTimeout(entry.timer);
    entry.worker.off('exit', entry.onExit);
    entry.worker.off('message', entry.onMessage);
  }
}
