// Pausing a download: the request in flight is aborted (what has arrived stays on disk), the job waits
// here, and on resume the download continues with a range request from the bytes it has. Cancelling
// while paused ends the wait at once.
import { StirError } from '../../../shared/index.js';

export class PauseGate {
  #paused = false;
  #controller = new AbortController();
  #waiters: Array<() => void> = [];

  get paused(): boolean {
    return this.#paused;
  }

  /** Fires when a pause is asked for; a request in flight listens to it and stops. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  pause(): boolean {
    if (this.#paused) return false;
    this.#paused = true;
    this.#controller.abort(new StirError('CANCELLED', 'Paused.'));
    return true;
  }

  resume(): boolean {
    if (!this.#paused) return false;
    this.#paused = false;
    this.#controller = new AbortController();
    for (const wake of this.#waiters.splice(0)) wake();
    return true;
  }

  /** Resolves at once when not paused, else when resumed; rejects with CANCELLED when `signal` fires. */
  async wait(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new StirError('CANCELLED', 'The job was cancelled.');
    if (!this.#paused) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== wake);
        reject(new StirError('CANCELLED', 'The job was cancelled.'));
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#waiters.push(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
