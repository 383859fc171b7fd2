// A fast blur for RGBA images: three passes of a running-sum box filter approximate a Gaussian
// (central limit), in time independent of the radius.

/**
 * Box-filters the rows of an RGBA image (radius `radius`, edges extended so a blurred edge keeps its
 * colour): a running sum per channel, the four channels of a pixel together, so each row is read once
 * instead of once per channel (issue 13.1: a fluid's local mean over a sky was a quarter of its plan).
 */
function boxPassAcross(
  src: Float32Array,
  dst: Float32Array,
  width: number,
  height: number,
  radius: number,
): void {
  const norm = 1 / (2 * radius + 1);
  const last = width - 1;
  for (let y = 0; y < height; y++) {
    const base = y * width * 4;
    const end = base + last * 4;
    let s0 = src[base]! * (radius + 1);
    let s1 = src[base + 1]! * (radius + 1);
    let s2 = src[base + 2]! * (radius + 1);
    let s3 = src[base + 3]! * (radius + 1);
    for (let i = 1; i <= radius; i++) {
      const at = base + Math.min(i, last) * 4;
      s0 += src[at]!;
      s1 += src[at + 1]!;
      s2 += src[at + 2]!;
      s3 += src[at + 3]!;
    }
    for (let i = 0; i < width; i++) {
      const at = base + i * 4;
      const into = i + radius + 1;
      const out = i - radius;
      const inAt = into <= last ? base + into * 4 : end;
      const outAt = out >= 0 ? base + out * 4 : base;
      dst[at] = s0 * norm;
      dst[at + 1] = s1 * norm;
      dst[at + 2] = s2 * norm;
      dst[at + 3] = s3 * norm;
      s0 += src[inAt]! - src[outAt]!;
      s1 += src[inAt + 1]! - src[outAt + 1]!;
      s2 += src[inAt + 2]! - src[outAt + 2]!;
      s3 += src[inAt + 3]! - src[outAt + 3]!;
    }
  }
}

/**
 * Box-filters the columns of an RGBA image as boxPassAcross does its rows, reading and writing it a row at
 * a time with a running sum per column and channel: walking each column on its own read memory a whole
 * row apart. (Both give the same bits as filtering each line on its own: every sum sees the same values
 * in the same order.)
 */
function boxPassDown(
  src: Float32Array,
  dst: Float32Array,
  width: number,
  height: number,
  radius: number,
): void {
  const norm = 1 / (2 * radius + 1);
  const last = height - 1;
  const row = width * 4;
  const sum = new Float64Array(row);
  const lastRow = last * row;
  for (let k = 0; k < row; k++) sum[k] = src[k]! * (radius + 1);
  for (let i = 1; i <= radius; i++) {
    const at = Math.min(i, last) * row;
    for (let k = 0; k < row; k++) sum[k]! += src[at + k]!;
  }
  for (let i = 0; i < height; i++) {
    const at = i * row;
    for (let k = 0; k < row; k++) dst[at + k] = sum[k]! * norm;
    const into = i + radius + 1;
    const out = i - radius;
    const inAt = into <= last ? into * row : lastRow;
    const outAt = out >= 0 ? out * row : 0;
    for (let k = 0; k < row; k++) sum[k]! += src[inAt + k]! - src[outAt + k]!;
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
    boxPassAcross(a, b, width, height, r);
    boxPassDown(b, a, width, height, r);
  }
  for (let i = 0; i < rgba.length; i++) rgba[i] = a[i]! + 0.5;
}
