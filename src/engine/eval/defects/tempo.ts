// Motion tempo (issue 10, points 2 and 7): a breeze sways plants about once a second or slower; a
// region that reaches its strength by vibrating shows a high dominant temporal frequency. Measured on the
// optical flow of sampled pixels over the clip: the peak of their summed power spectra.

/** The tempo each word should have, in Hz (cycles per second); words not listed are unconstrained. */
export const TEMPO_RANGES: Readonly<Record<string, { from: number; to: number }>> = {
  // Issue 10: a breeze sways plants at 0.3-1 Hz; leaves or cloth flutter at 2-4 Hz.
  sway: { from: 0.3, to: 1 },
  flutter: { from: 2, to: 4 },
  // Wind through grass, a swinging or rocking object, a breath: slow, whole-body motions.
  blow: { from: 0.3, to: 1.5 },
  swing: { from: 0.3, to: 1.2 },
  rock: { from: 0.2, to: 1 },
  breathe: { from: 0.15, to: 0.6 },
};

/** Collects, per frame pair, the flow (u, v) at a fixed set of pixels. */
export class FlowSeries {
  readonly #pixels: number[];
  readonly #u: number[][] = [];
  readonly #v: number[][] = [];

  /** `inside`: the region's mask at the flow's size; every `stride`-th pixel each way is sampled. */
  constructor(inside: Uint8Array, width: number, stride = 4) {
    this.#pixels = [];
    for (let i = 0; i < inside.length; i++) {
      const x = i % width;
      const y = Math.floor(i / width);
      if (inside[i] && x % stride === 0 && y % stride === 0) this.#pixels.push(i);
    }
  }

  add(u: Float32Array, v: Float32Array): void {
    this.#u.push(this.#pixels.map((i) => u[i]!));
    this.#v.push(this.#pixels.map((i) => v[i]!));
  }

  /**
   * The dominant frequency in Hz for flow sampled at `fps` pairs per second: the peak, from 0.2 Hz to
   * Nyquist in 0.05 Hz steps, of the Hann-windowed power spectra of every sampled pixel's u and v, each
   * with its mean removed (a steady drift is no oscillation). null when nothing moved.
   */
  dominantFrequency(fps: number): number | null {
    const n = this.#u.length;
    if (n < 4 || this.#pixels.length === 0) return null;
    const window = Array.from({ length: n }, (_, t) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (t + 0.5)) / n));
    const signals: number[][] = [];
    for (const series of [this.#u, this.#v]) {
      for (let p = 0; p < this.#pixels.length; p++) {
        let mean = 0;
        for (let t = 0; t < n; t++) mean += series[t]![p]!;
        mean /= n;
        const signal = Array.from({ length: n }, (_, t) => (series[t]![p]! - mean) * window[t]!);
        if (signal.some((s) => Math.abs(s) > 1e-3)) signals.push(signal);
      }
    }
    if (signals.length === 0) return null;
    let best = { frequency: 0, power: 0 };
    for (let f = 0.2; f <= fps / 2 + 1e-9; f += 0.05) {
      const cos = Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * f * t) / fps));
      const sin = Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * f * t) / fps));
      let power = 0;
      for (const signal of signals) {
        let re = 0;
        let im = 0;
        for (let t = 0; t < n; t++) {
          re += signal[t]! * cos[t]!;
          im += signal[t]! * sin[t]!;
        }
        power += re * re + im * im;
      }
      if (power > best.power) best = { frequency: f, power };
    }
    return best.power > 0 ? best.frequency : null;
  }
}
