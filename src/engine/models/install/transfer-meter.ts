// Speed and remaining time of a transfer, from the bytes seen in the last few seconds (a sliding window),
// so the figure follows a connection that speeds up or slows down, and a pause does not drag it to zero
// for long after the transfer resumes (the window is cleared on resume).

/** How far back the speed looks. Browsers' download managers use a few seconds too. */
const WINDOW_MS = 5_000;
/** Below this much history the speed is too noisy to show. */
const MIN_SPAN_MS = 300;
const MAX_SAMPLES = 256;

export interface TransferReading {
  bytesDone: number;
  bytesTotal: number | null;
  /** Null while there is too little history. */
  bytesPerSecond: number | null;
  etaSeconds: number | null;
}

export class TransferMeter {
  readonly #now: () => number;
  #samples: Array<{ at: number; bytes: number }> = [];
  #bytesDone = 0;
  #bytesTotal: number | null = null;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Sets where the transfer stands (a resume starts from the bytes already on disk). */
  reset(bytesDone: number, bytesTotal: number | null): void {
    this.#bytesDone = bytesDone;
    this.#bytesTotal = bytesTotal;
    this.#samples = [{ at: this.#now(), bytes: bytesDone }];
  }

  set total(bytesTotal: number | null) {
    this.#bytesTotal = bytesTotal;
  }

  add(bytes: number): void {
    this.#bytesDone += bytes;
    const at = this.#now();
    this.#samples.push({ at, bytes: this.#bytesDone });
    while (
      this.#samples.length > 2 &&
      (at - this.#samples[1]!.at > WINDOW_MS || this.#samples.length > MAX_SAMPLES)
    ) {
      this.#samples.shift();
    }
  }

  read(): TransferReading {
    const first = this.#samples[0];
    const span = first ? this.#now() - first.at : 0;
    const bytesPerSecond =
      first && span >= MIN_SPAN_MS ? ((this.#bytesDone - first.bytes) * 1000) / span : null;
    const left = this.#bytesTotal === null ? null : Math.max(0, this.#bytesTotal - this.#bytesDone);
    const etaSeconds =
      left === null || bytesPerSecond === null
        ? null
        : left === 0
          ? 0
          : bytesPerSecond > 0
            ? left / bytesPerSecond
            : null;
    return { bytesDone: this.#bytesDone, bytesTotal: this.#bytesTotal, bytesPerSecond, etaSeconds };
  }
}
