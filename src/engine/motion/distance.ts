// Exact Euclidean distance transform (Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled
// Functions", Theory of Computing 2012): two passes of a 1-D lower-envelope-of-parabolas transform.
// Used for dilating regions (the 2% band of QUALITY.md), feathering layer edges and ramping fields.

const FAR = 1e20;

/** 1-D squared distance transform of f (length n) into d, with scratch v (n ints) and z (n+1 floats). */
function transform1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = f[q]! + q * q;
    let s = (fq - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (fq - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const dq = q - v[k]!;
    d[q] = dq * dq + f[v[k]!]!;
  }
}

/**
 * Distance from every pixel to the nearest pixel where `seed` is true, in pixels (0 on seeds).
 * With no seed at all every distance is very large (1e10).
 */
export function distanceTransform(
  width: number,
  height: number,
  seed: (index: number) => boolean,
): Float32Array {
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const squared = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) squared[i] = seed(i) ? 0 : FAR;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = squared[y * width + x]!;
    transform1d(f, height, d, v, z);
    for (let y = 0; y < height; y++) squared[y * width + x] = d[y]!;
  }
  const result = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) f[x] = squared[row + x]!;
    transform1d(f, width, d, v, z);
    for (let x = 0; x < width; x++) result[row + x] = Math.sqrt(Math.min(d[x]!, 1e20));
  }
  return result;
}
