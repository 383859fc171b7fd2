// A horizon: a straight, level colour boundary that runs across the whole photo (a pale sky over a blue
// sea). A graph cut on superpixels does not see one where haze blends the two colours over a few rows:
// each superpixel pair across it differs a little, so a sky click took the sea too (dune-grass, issue 10,
// point 5). Along the whole width the step is plain: the mean colour of a band of rows above the line
// against the band below it, measured in vertical strips, and a horizon is a row where every strip but a
// few (a grass stem, a boat crossing it) steps by the same clear amount.

/** Vertical strips the width is cut into: a horizon must step in nearly all of them. */
const STRIPS = 12;
/** Strips allowed to miss the step (something standing in front of the horizon). */
const STRIPS_MISSED = 3;
/** Rows above and below the line compared, as a share of the working image's height. */
const BAND = 0.03;
/** A step below this Lab distance in the weakest counted strip is no horizon (about 2.5 times a JND). */
const MIN_STEP = 6;
/** Rows this close to the top or bottom are no horizon (vignetting, a frame). */
const EDGE = 0.08;

export interface Horizon {
  /** The row of the working image where the colour steps (the first row below the line). */
  y: number;
  /** The step's Lab distance in the weakest counted strip. */
  step: number;
}

/**
 * The horizons of a Lab image (3 floats a pixel), strongest first: rows that step across the width more
 * than any row within a band of them (a sea has a sky above it and a beach below). Cost: one pass over
 * the image for per-strip row means, then a few operations per row and strip.
 */
export function findHorizons(lab: Float32Array, width: number, height: number): Horizon[] {
  // 1. Per strip, prefix sums over rows of the strip's mean Lab colour.
  const rowMeans = new Float64Array(STRIPS * height * 3);
  for (let y = 0; y < height; y++) {
    for (let s = 0; s < STRIPS; s++) {
      const x0 = Math.floor((s * width) / STRIPS);
      const x1 = Math.floor(((s + 1) * width) / STRIPS);
      let l = 0;
      let a = 0;
      let b = 0;
      for (let x = x0; x < x1; x++) {
        const i = (y * width + x) * 3;
        l += lab[i]!;
        a += lab[i + 1]!;
        b += lab[i + 2]!;
      }
      const o = (s * height + y) * 3;
      const n = Math.max(1, x1 - x0);
      rowMeans[o] = l / n;
      rowMeans[o + 1] = a / n;
      rowMeans[o + 2] = b / n;
    }
  }
  const prefix = new Float64Array(STRIPS * (height + 1) * 3);
  for (let s = 0; s < STRIPS; s++) {
    for (let y = 0; y < height; y++) {
      for (let c = 0; c < 3; c++) {
        prefix[(s * (height + 1) + y + 1) * 3 + c] =
          prefix[(s * (height + 1) + y) * 3 + c]! + rowMeans[(s * height + y) * 3 + c]!;
      }
    }
  }
  const bandMean = (s: number, y0: number, y1: number, c: number) =>
    (prefix[(s * (height + 1) + y1) * 3 + c]! - prefix[(s * (height + 1) + y0) * 3 + c]!) / (y1 - y0);

  // 2. At each row, the step of every strip; the row's strength is the weakest step once the few
  // weakest strips are set aside.
  const band = Math.max(2, Math.round(BAND * height));
  const steps = new Float64Array(STRIPS);
  const strength = new Float64Array(height);
  const first = Math.max(band, Math.round(EDGE * height));
  const last = height - Math.max(band, Math.round(EDGE * height));
  for (let y = first; y <= last; y++) {
    for (let s = 0; s < STRIPS; s++) {
      let d = 0;
      for (let c = 0; c < 3; c++) d += (bandMean(s, y - band, y, c) - bandMean(s, y, y + band, c)) ** 2;
      steps[s] = Math.sqrt(d);
    }
    strength[y] = [...steps].sort((p, q) => p - q)[STRIPS_MISSED]!;
  }

  // 3. Rows at least MIN_STEP that are the strongest within a band either side.
  const horizons: Horizon[] = [];
  for (let y = first; y <= last; y++) {
    const step = strength[y]!;
    if (step < MIN_STEP) continue;
    let peak = true;
    for (let z = Math.max(first, y - band); z <= Math.min(last, y + band) && peak; z++) {
      if (strength[z]! > step || (strength[z] === step && z < y)) peak = false;
    }
    if (peak) horizons.push({ y, step });
  }
  return horizons.sort((p, q) => q.step - p.step);
}
