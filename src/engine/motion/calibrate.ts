// Strength on the engine's own displacement field (QUALITY.md: "define its strength on that field"):
// the mean distance a point of the region moves between consecutive frames, over the region's pixels and
// the frames it moves in. Each motion's amplitude is solved so that this mean equals the requested
// strength, so strength scales linearly by construction and measured flow can cross-check it.

/** Moves every sample (x y pairs) to where it is drawn at motion time tau, into out (x y pairs). */
export type Mover = (tau: number, samples: Float32Array, out: Float64Array) => void;

/** Motion-time pairs (tau at frame t, tau at frame t+1) whose displacement counts towards strength. */
export type TimePairs = readonly (readonly [number, number])[];

/** Mean displacement per frame pair, and the largest displacement from rest, over the samples. */
export function measureMover(
  move: Mover,
  samples: Float32Array,
  pairs: TimePairs,
): { meanSpeed: number; maxDisplacement: number } {
  const count = samples.length / 2;
  if (count === 0 || pairs.length === 0) return { meanSpeed: 0, maxDisplacement: 0 };
  const a = new Float64Array(samples.length);
  const b = new Float64Array(samples.length);
  let total = 0;
  let max = 0;
  let lastTau = Number.NaN;
  for (const [t0, t1] of pairs) {
    // Consecutive pairs share a time: reuse the positions.
    if (t0 !== lastTau) move(t0, samples, a);
    move(t1, samples, b);
    for (let i = 0; i < samples.length; i += 2) {
      total += Math.hypot(b[i]! - a[i]!, b[i + 1]! - a[i + 1]!);
      const d = Math.hypot(b[i]! - samples[i]!, b[i + 1]! - samples[i + 1]!);
      if (d > max) max = d;
    }
    a.set(b);
    lastTau = t1;
  }
  return { meanSpeed: total / (count * pairs.length), maxDisplacement: max };
}

/** Fewer samples for calibration: every k-th point, at most `limit` points. */
export function thinSamples(samples: Float32Array, limit: number): Float32Array {
  const count = samples.length / 2;
  if (count <= limit) return samples;
  const step = count / limit;
  const out = new Float32Array(limit * 2);
  for (let i = 0; i < limit; i++) {
    const j = Math.floor(i * step);
    out[i * 2] = samples[j * 2]!;
    out[i * 2 + 1] = samples[j * 2 + 1]!;
  }
  return out;
}

/**
 * The amplitude whose mean speed is `target`, for a motion whose speed grows with amplitude (exactly in
 * proportion when `linear`; close to it otherwise, refined by a few secant-free rescaling steps).
 */
export function solveAmplitude(
  speedAt: (amplitude: number) => number,
  target: number,
  linear: boolean,
  guess = 1,
): number {
  if (target <= 0) return 0;
  const unit = speedAt(guess);
  if (!(unit > 0)) return 0;
  let amplitude = (guess * target) / unit;
  if (linear) return amplitude;
  for (let i = 0; i < 6; i++) {
    const speed = speedAt(amplitude);
    if (!(speed > 0)) break;
    const next = (amplitude * target) / speed;
    if (Math.abs(next - amplitude) <= 1e-6 * Math.abs(amplitude)) return next;
    amplitude = next;
  }
  return amplitude;
}
