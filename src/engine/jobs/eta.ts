// Remaining-time estimate from the progress reported so far: the overall rate since the job started,
// smoothed so the number a person sees does not jump around.
export class EtaEstimator {
  readonly #startedAt: number;
  #smoothed: number | null = null;
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#startedAt = now();
  }

  /** Seconds left at `fraction` done, or null while there is too little to go on. */
  update(fraction: number): number | null {
    const elapsed = (this.#now() - this.#startedAt) / 1000;
    if (fraction <= 0.02 || elapsed < 0.25) return null;
    if (fraction >= 1) return 0;
    const estimate = (elapsed * (1 - fraction)) / fraction;
    this.#smoothed = this.#smoothed === null ? estimate : 0.7 * this.#smoothed + 0.3 * estimate;
    return Math.max(0, this.#smoothed);
  }
}
