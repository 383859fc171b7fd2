// A fast blur for RGBA images: three passes of a running-sum box filter approximate a Gaussian
// (central limit), in time independent of the radius.

/**
 * Box-filters `count` lines of `length` samples, 4 channels each; line k starts at k * step, samples
 * are `stride` apart. Edges are extended (clamped) so a blurred edge keeps its colour.
 */
function boxPass(
  src: Float32Array,
  dst: Float32Array,
  length: number,
  stride: number,
  count: number,
  step: number,
  radius: number,
): void {
  const norm = 1 / (2 * radius + 1);
  const last = length - 1;
  for (let line = 0; line < count; line++) {
    const base = line * step;
    for (let c = 0; c < 4; c++) {
      const at = base + c;
      const first = src[at]!;
      const end = src[at + last * stride]!;
      let sum = first * (radius + 1);
      for (let i = 1; i <= radius; i++) sum += src[at + Math.min(i, last) * stride]!;
      for (let i = 0; i < length; i++) {
        dst[at + i * stride] = sum * norm;
        const into = i + radius + 1;
        const out = i - radius;
        sum += (into <= last ? src[at + into * stride]! : end) - (out >= 0 ? src[at + out * stride]! : first);
      }
    }
  }
}

/** Blurs an RGBA image in place with a Gaussian-like kernel of standard deviation about `sigma` pixels. */
export function boxBlur(rgba: Uint8Array, width: number, height: number, sigma: number): void {
  if (sigma < 0.5) return;
  // Three boxes of radius r have variance r (r + 1): choose r for the requested sigma.
  const r = Math.max(1, Math.round((Math.sqrt(1 + 4 * sigma * sigma) - 1) / 2));
  const a = Float32Array.from(rgba);
  const b = new Float32Array(a.length);
  for (let pass = 0; pass < 3; pass++) {
    boxPass(a, b, width, 4, height, width * 4, r);
    boxPass(b, a, height, width * 4, width, 4, r);
  }
  for (let i = 0; i < rgba.length; i++) rgba[i] = a[i]! + 0.5;
}
