// A seeded normal random number generator, so the same seed gives the same animation on every machine
// (diffusers draws its initial latents from a seeded torch.Generator for the same reason). xoshiro128**
// (Blackman and Vigna) for uniform numbers, seeded through splitmix32; Box-Muller for normal pairs.

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class SeededRandom {
  readonly #s = new Uint32Array(4);
  #spare: number | null = null;

  constructor(seed: number) {
    const next = splitmix32(seed);
    for (let i = 0; i < 4; i++) this.#s[i] = next();
    // All-zero state would repeat zeros forever; splitmix32 makes it practically impossible, but be sure.
    if (this.#s.every((v) => v === 0)) this.#s[0] = 1;
  }

  /** A uniform number in [0, 1), 32 bits of randomness. */
  uniform(): number {
    const s = this.#s;
    let [s0, s1, s2, s3] = [s[0]!, s[1]!, s[2]!, s[3]!];
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return result / 4294967296;
  }

  /** A standard normal number (Box-Muller; the second of each pair is kept for the next call). */
  normal(): number {
    if (this.#spare !== null) {
      const spare = this.#spare;
      this.#spare = null;
      return spare;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Fills `out` with standard normal numbers. */
  fillNormal(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** One seed from several (the regions' seeds), order-sensitive. */
export function combineSeeds(seeds: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const seed of seeds) {
    h = Math.imul(h ^ (seed >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  }
  return h >>> 0;
}
