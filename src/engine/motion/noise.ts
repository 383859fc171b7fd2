// Seeded randomness for motions: the same seed gives the same clip on every machine and in every worker.

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hash of a lattice point and a seed to [-1, 1]. */
function lattice(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ Math.imul(seed, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2147483647.5 - 1;
}

const fade = (t: number) => t * t * t * (t * (t * 6 - 15) + 10);

/** Smooth value noise in [-1, 1] with features about one unit across (quintic interpolation: C2). */
export function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = fade(x - ix);
  const fy = fade(y - iy);
  const a = lattice(ix, iy, seed);
  const b = lattice(ix + 1, iy, seed);
  const c = lattice(ix, iy + 1, seed);
  const d = lattice(ix + 1, iy + 1, seed);
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

/** Two octaves of value noise: a stream function whose curl is a divergence-free swirl field. */
export function fractalNoise(x: number, y: number, seed: number): number {
  return valueNoise(x, y, seed) + 0.5 * valueNoise(2.03 * x + 17.1, 2.03 * y - 5.3, seed + 101);
}

/**
 * Curl of the noise stream function at (x, y), features `scale` pixels across: (dpsi/dy, -dpsi/dx).
 * Divergence-free, so the field swirls without sources or sinks (Bridson et al., "Curl-Noise for
 * Procedural Fluid Flow", SIGGRAPH 2007) and texture advected by it neither piles up nor thins out.
 */
export function curlNoise(x: number, y: number, scale: number, seed: number): [number, number] {
  const h = 0.05;
  const u = x / scale;
  const v = y / scale;
  const dy = (fractalNoise(u, v + h, seed) - fractalNoise(u, v - h, seed)) / (2 * h);
  const dx = (fractalNoise(u + h, v, seed) - fractalNoise(u - h, v, seed)) / (2 * h);
  return [dy, -dx];
}
