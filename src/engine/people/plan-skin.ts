// A person bound to their skeleton (issue 12, point 4): a triangle mesh over the person, each vertex
// weighted to the bones near it (skeleton.ts), posed per frame by blending its bones' transforms (linear-
// blend skinning). The mesh is one piece, so the skin stretches at a bending joint and never tears; the
// frames draw it over the photo with what a moving limb uncovers filled from the background around the
// person (inpaint-patch.ts). Where every bone is at rest the frame is the photo itself.
import type { Mask } from '../../shared/index.js';
import { distanceTransform } from '../motion/distance.js';
import { FILL, IGNORE, inpaint, KNOWN } from '../motion/inpaint.js';
import { boxHeight, boxWidth, growBox, type PixelBox, type RegionShape } from '../motion/mask.js';
import { sharedFloat32, sharedUint8, type PlanRequest, type SkinRegionPlan } from '../motion/plan.js';
import {
  boneTransform,
  bonesOf,
  isIdentity,
  shoulderWidth,
  skinWeights,
  type Affine,
  type Joints,
} from './skeleton.js';

export interface SkinRequest extends PlanRequest {
  photo: Uint8Array;
  shape: RegionShape;
  seed: number;
  /** The skeleton as the photo shows it, in output pixels. */
  rest: Joints;
  /** The skeleton at each frame, in output pixels; `amount` (0-1) scales a motion of our own. */
  poseAt(frame: number, amount: number): Joints;
  /** Hold the motion back (scale `amount` down) until no triangle of the person folds over. */
  limited: boolean;
}

export interface PlannedSkin {
  plan: SkinRegionPlan;
  fieldStrength: number;
  motionArea: Mask;
}

/** The least share of its area a triangle of the person may keep when a motion of our own is held back. */
const LEAST_JACOBIAN = 0.2;

/** Vertices that move less than this (pixels) in every frame leave the photo behind them as it is. */
const STILL = 0.3;

/** The mesh over the person: grid vertices of the cells the person's opacity reaches. */
function meshOver(alpha: Float32Array, meshBox: PixelBox, step: number) {
  const mw = boxWidth(meshBox);
  const mh = boxHeight(meshBox);
  const cols = Math.ceil(mw / step);
  const rows = Math.ceil(mh / step);
  const cell = new Uint8Array(cols * rows);
  for (let y = 0; y < mh; y++) {
    for (let x = 0; x < mw; x++) {
      if (alpha[y * mw + x]! > 0) cell[Math.floor(y / step) * cols + Math.floor(x / step)] = 1;
    }
  }
  const index = new Int32Array((cols + 1) * (rows + 1)).fill(-1);
  const rest: number[] = [];
  const vertex = (i: number, j: number) => {
    const k = j * (cols + 1) + i;
    if (index[k]! < 0) {
      index[k] = rest.length / 2;
      rest.push(meshBox.x0 + Math.min(mw, i * step), meshBox.y0 + Math.min(mh, j * step));
    }
    return index[k]!;
  };
  const triangles: number[] = [];
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      if (!cell[j * cols + i]) continue;
      const a = vertex(i, j);
      const b = vertex(i + 1, j);
      const c = vertex(i + 1, j + 1);
      const d = vertex(i, j + 1);
      triangles.push(a, b, c, a, c, d);
    }
  }
  return { rest: Float32Array.from(rest), triangles: Uint32Array.from(triangles) };
}

export function planSkin(request: SkinRequest): PlannedSkin {
  const { photo, width, height, shape, frameCount, sizes, rest: restJoints } = request;
  const { layerGrow, layerFeather } = sizes;
  // Wide enough for the feathered edge and the rim ring beyond it that the fill erases.
  const meshBox = growBox(shape.box, Math.ceil(layerGrow + layerFeather + sizes.rimRing) + 2, width, height);
  const mw = boxWidth(meshBox);
  const mh = boxHeight(meshBox);
  const outside = distanceTransform(
    mw,
    mh,
    (i) => shape.inside[(meshBox.y0 + Math.floor(i / mw)) * width + meshBox.x0 + (i % mw)] === 1,
  );
  const alpha = sharedFloat32(mw * mh);
  for (let i = 0; i < alpha.length; i++) {
    const d = outside[i]!;
    alpha[i] = d <= layerGrow ? 1 : Math.max(0, 1 - (d - layerGrow) / layerFeather);
  }

  const step = Math.max(3, Math.round(Math.max(width, height) / 170));
  const mesh = meshOver(alpha, meshBox, step);
  const vertices = mesh.rest.length / 2;
  const bones = bonesOf(restJoints);
  const weights = skinWeights(mesh.rest, bones, restJoints, 0.1 * shoulderWidth(restJoints));

  // Every frame's vertex positions, and how far each vertex ever moves.
  const positions = sharedFloat32(frameCount * vertices * 2);
  const moving = sharedUint8(frameCount);
  const reveal = sharedFloat32(frameCount);
  const reach = new Float32Array(vertices);
  const revealWidth = sizes.layerFeather + sizes.rimRing;
  const transforms: Affine[] = [];
  const poseMesh = (amount: number) => {
    reach.fill(0);
    for (let f = 0; f < frameCount; f++) {
      const posed = request.poseAt(f, amount);
      transforms.length = 0;
      let still = true;
      for (const bone of bones) {
        const t = boneTransform(bone, restJoints, posed);
        transforms.push(t);
        if (!isIdentity(t)) still = false;
      }
      const at = f * vertices * 2;
      moving[f] = 0;
      reveal[f] = 0;
      if (still) {
        positions.set(mesh.rest, at);
        continue;
      }
      for (let v = 0; v < vertices; v++) {
        const x = mesh.rest[v * 2]!;
        const y = mesh.rest[v * 2 + 1]!;
        let px = 0;
        let py = 0;
        for (let k = 0; k < bones.length; k++) {
          const w = weights[v * bones.length + k]!;
          if (w === 0) continue;
          const t = transforms[k]!;
          px += w * (t[0] * x + t[1] * y + t[2]);
          py += w * (t[3] * x + t[4] * y + t[5]);
        }
        positions[at + v * 2] = px;
        positions[at + v * 2 + 1] = py;
        const d = Math.hypot(px - x, py - y);
        if (d > reach[v]!) reach[v] = d;
        if (d > 0.01) moving[f] = 1;
        reveal[f] = Math.max(reveal[f]!, Math.min(1, d / revealWidth));
      }
    }
    // Vertices that never really move stay exactly where they are (the photo at rest, no faint shimmer).
    for (let f = 0; f < frameCount; f++) {
      const at = f * vertices * 2;
      for (let v = 0; v < vertices; v++) {
        if (reach[v]! >= 0.05) continue;
        positions[at + v * 2] = mesh.rest[v * 2]!;
        positions[at + v * 2 + 1] = mesh.rest[v * 2 + 1]!;
      }
    }
  };
  poseMesh(1);
  // A limb swung across the body would fold the skin over itself (a single sheet cannot pass over its own
  // torso): a motion of our own is held back until no triangle of the person turns over.
  const content = contentTriangles(mesh.triangles, mesh.rest, alpha, meshBox);
  if (request.limited && leastJacobian(positions, mesh.rest, content, frameCount) < LEAST_JACOBIAN) {
    let low = 0;
    let high = 1;
    for (let k = 0; k < 7; k++) {
      const mid = (low + high) / 2;
      poseMesh(mid);
      if (leastJacobian(positions, mesh.rest, content, frameCount) >= LEAST_JACOBIAN) low = mid;
      else high = mid;
    }
    poseMesh(low);
  }

  const triangles = drawingOrder(mesh.triangles, reach);
  const contentOf = (t: number) => {
    let cx = 0;
    let cy = 0;
    for (let k = 0; k < 3; k++) {
      cx += mesh.rest[triangles[t * 3 + k]! * 2]! / 3;
      cy += mesh.rest[triangles[t * 3 + k]! * 2 + 1]! / 3;
    }
    const x = Math.min(mw - 1, Math.max(0, Math.floor(cx - meshBox.x0)));
    const y = Math.min(mh - 1, Math.max(0, Math.floor(cy - meshBox.y0)));
    return alpha[y * mw + x]! > 0;
  };

  // Where it may change pixels: the mesh box and every posed triangle's box; and the motion area
  // (QUALITY.md): the person and every place a posed triangle with content reaches.
  let box = meshBox;
  const area = new Uint8Array(width * height);
  for (let i = 0; i < area.length; i++) area[i] = shape.inside[i] ? 255 : 0;
  const triangleCount = triangles.length / 3;
  for (let f = 0; f < frameCount; f++) {
    if (!moving[f]) continue;
    const at = f * vertices * 2;
    for (let t = 0; t < triangleCount; t++) {
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      let still = true;
      for (let k = 0; k < 3; k++) {
        const v = triangles[t * 3 + k]!;
        if (reach[v]! >= 0.05) still = false;
        const x = positions[at + v * 2]!;
        const y = positions[at + v * 2 + 1]!;
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
      if (still) continue;
      const bx0 = Math.max(0, Math.floor(x0) - 1);
      const by0 = Math.max(0, Math.floor(y0) - 1);
      const bx1 = Math.min(width, Math.ceil(x1) + 1);
      const by1 = Math.min(height, Math.ceil(y1) + 1);
      if (bx0 >= bx1 || by0 >= by1) continue;
      box = {
        x0: Math.min(box.x0, bx0),
        y0: Math.min(box.y0, by0),
        x1: Math.max(box.x1, bx1),
        y1: Math.max(box.y1, by1),
      };
      if (!contentOf(t)) continue;
      for (let y = by0; y < by1; y++) area.fill(255, y * width + bx0, y * width + bx1);
    }
  }

  const background = backgroundOf(
    request,
    box,
    meshBox,
    alpha,
    outside,
    mesh.rest,
    mesh.triangles,
    reach,
    step,
  );
  const foreground = sharedUint8(mw * mh * 4);
  for (let y = 0; y < mh; y++) {
    const from = ((meshBox.y0 + y) * width + meshBox.x0) * 4;
    foreground.set(photo.subarray(from, from + mw * 4), y * mw * 4);
  }
  return {
    plan: {
      kind: 'skin',
      box,
      background,
      meshBox,
      alpha,
      foreground,
      rest: sharedCopy(mesh.rest),
      triangles: sharedIndices(triangles),
      positions,
      moving,
      reveal,
    },
    fieldStrength: meanSpeed(positions, mesh.rest, alpha, meshBox, frameCount) / sizes.unit,
    motionArea: { width, height, data: area },
  };
}

/** The triangles with some of the person in them (their rest centroid where the opacity is above 0). */
function contentTriangles(
  triangles: Uint32Array,
  rest: Float32Array,
  alpha: Float32Array,
  meshBox: PixelBox,
): Uint32Array {
  const mw = boxWidth(meshBox);
  const mh = boxHeight(meshBox);
  const out: number[] = [];
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t]!, triangles[t + 1]!, triangles[t + 2]!];
    const x = Math.min(mw - 1, Math.floor((rest[a * 2]! + rest[b * 2]! + rest[c * 2]!) / 3 - meshBox.x0));
    const y = Math.min(
      mh - 1,
      Math.floor((rest[a * 2 + 1]! + rest[b * 2 + 1]! + rest[c * 2 + 1]!) / 3 - meshBox.y0),
    );
    if (alpha[y * mw + x]! > 0) out.push(a, b, c);
  }
  return Uint32Array.from(out);
}

/** The smallest ratio of a triangle's posed signed area to its rest area, over the frames (the Jacobian's least determinant). */
export function leastJacobian(
  positions: Float32Array,
  rest: Float32Array,
  triangles: Uint32Array,
  frameCount: number,
): number {
  const vertices = rest.length / 2;
  const area = (xs: Float32Array, at: number, a: number, b: number, c: number) =>
    (xs[at + b * 2]! - xs[at + a * 2]!) * (xs[at + c * 2 + 1]! - xs[at + a * 2 + 1]!) -
    (xs[at + b * 2 + 1]! - xs[at + a * 2 + 1]!) * (xs[at + c * 2]! - xs[at + a * 2]!);
  let least = Infinity;
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t]!, triangles[t + 1]!, triangles[t + 2]!];
    const restArea = area(rest, 0, a, b, c);
    if (restArea === 0) continue;
    for (let f = 0; f < frameCount; f++)
      least = Math.min(least, area(positions, f * vertices * 2, a, b, c) / restArea);
  }
  return least;
}

/** Still triangles first, then by how far they move: a swinging hand is drawn over the body it passes. */
function drawingOrder(triangles: Uint32Array, reach: Float32Array): Uint32Array {
  const count = triangles.length / 3;
  const order = Array.from({ length: count }, (_, t) => t);
  const key = (t: number) =>
    Math.max(reach[triangles[t * 3]!]!, reach[triangles[t * 3 + 1]!]!, reach[triangles[t * 3 + 2]!]!);
  order.sort((a, b) => key(a) - key(b));
  const out = new Uint32Array(triangles.length);
  order.forEach((t, n) => out.set(triangles.subarray(t * 3, t * 3 + 3), n * 3));
  return out;
}

/**
 * The photo over `box`, with the part of the person a moving limb can uncover filled from the background
 * around the person: patches of the photo outside the person and its rim (inpaint-patch.ts).
 */
function backgroundOf(
  request: SkinRequest,
  box: PixelBox,
  meshBox: PixelBox,
  alpha: Float32Array,
  outside: Float32Array,
  rest: Float32Array,
  triangles: Uint32Array,
  reach: Float32Array,
  step: number,
): Uint8Array {
  const { photo, width, height, sizes } = request;
  const bw = boxWidth(box);
  const background = sharedUint8(bw * boxHeight(box) * 4);
  for (let y = box.y0; y < box.y1; y++) {
    const from = (y * width + box.x0) * 4;
    background.set(photo.subarray(from, from + bw * 4), (y - box.y0) * bw * 4);
  }
  // The hole: around the cells of moving triangles, the person's footprint (its feathered edge) and the
  // rim ring beyond, where the mask may have fallen short of the person: what a moving limb leaves must
  // not keep its outline. The person's colours are the photo's, feathered edge and all: unmixed from
  // the fill instead, they swing to extremes that a slightly moved edge shows as a bright or dark line.
  const erased = sizes.layerGrow + sizes.layerFeather + sizes.rimRing;
  const reachOut = Math.ceil(sizes.rimRing) + 1;
  const mw = boxWidth(meshBox);
  const mh = boxHeight(meshBox);
  const hole = new Uint8Array(mw * mh);
  let hx0 = mw;
  let hy0 = mh;
  let hx1 = 0;
  let hy1 = 0;
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!;
    const b = triangles[t + 1]!;
    const c = triangles[t + 2]!;
    if (Math.max(reach[a]!, reach[b]!, reach[c]!) < STILL) continue;
    const left = Math.floor(Math.min(rest[a * 2]!, rest[b * 2]!, rest[c * 2]!) - meshBox.x0) - 1 - reachOut;
    const top =
      Math.floor(Math.min(rest[a * 2 + 1]!, rest[b * 2 + 1]!, rest[c * 2 + 1]!) - meshBox.y0) - 1 - reachOut;
    const x0 = Math.max(0, left);
    const y0 = Math.max(0, top);
    const x1 = Math.min(mw, left + step + 3 + 2 * reachOut);
    const y1 = Math.min(mh, top + step + 3 + 2 * reachOut);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (outside[y * mw + x]! > erased) continue;
        hole[y * mw + x] = 1;
        hx0 = Math.min(hx0, x);
        hy0 = Math.min(hy0, y);
        hx1 = Math.max(hx1, x + 1);
        hy1 = Math.max(hy1, y + 1);
      }
    }
  }
  if (hx0 >= hx1) return background;
  // The fill works on the hole's box grown by its own size (where its patches come from).
  const hw = hx1 - hx0;
  const hh = hy1 - hy0;
  const fillBox = {
    x0: Math.max(0, meshBox.x0 + hx0 - hw),
    y0: Math.max(0, meshBox.y0 + hy0 - hh),
    x1: Math.min(width, meshBox.x0 + hx1 + hw),
    y1: Math.min(height, meshBox.y0 + hy1 + hh),
  };
  const fw = boxWidth(fillBox);
  const fh = boxHeight(fillBox);
  const rgba = new Uint8Array(fw * fh * 4);
  for (let y = 0; y < fh; y++) {
    const from = ((fillBox.y0 + y) * width + fillBox.x0) * 4;
    rgba.set(photo.subarray(from, from + fw * 4), y * fw * 4);
  }
  // The rest of the person and its rim are no source: the fill takes the background around the person.
  const footprint = erased + sizes.rimRing;
  const state = new Uint8Array(fw * fh).fill(KNOWN);
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      const mx = fillBox.x0 + x - meshBox.x0;
      const my = fillBox.y0 + y - meshBox.y0;
      if (mx < 0 || my < 0 || mx >= mw || my >= mh) continue;
      const m = my * mw + mx;
      if (hole[m]) state[y * fw + x] = FILL;
      else if (outside[m]! <= footprint) state[y * fw + x] = IGNORE;
    }
  }
  inpaint(rgba, fw, fh, state, { seed: request.seed, copy: true });
  for (let y = 0; y < fh; y++) {
    for (let x = 0; x < fw; x++) {
      if (state[y * fw + x] !== FILL) continue;
      const ox = fillBox.x0 + x - box.x0;
      const oy = fillBox.y0 + y - box.y0;
      if (ox < 0 || oy < 0 || ox >= bw || oy >= boxHeight(box)) continue;
      for (let c = 0; c < 4; c++) background[(oy * bw + ox) * 4 + c] = rgba[(y * fw + x) * 4 + c]!;
    }
  }
  return background;
}

/** The mean per-frame movement of the vertices inside the person (QUALITY.md's strength, in pixels). */
function meanSpeed(
  positions: Float32Array,
  rest: Float32Array,
  alpha: Float32Array,
  meshBox: PixelBox,
  frameCount: number,
): number {
  const vertices = rest.length / 2;
  const mw = boxWidth(meshBox);
  const mh = boxHeight(meshBox);
  const inside: number[] = [];
  for (let v = 0; v < vertices; v++) {
    const x = Math.min(mw - 1, Math.floor(rest[v * 2]! - meshBox.x0));
    const y = Math.min(mh - 1, Math.floor(rest[v * 2 + 1]! - meshBox.y0));
    if (alpha[y * mw + x]! >= 1) inside.push(v);
  }
  if (inside.length === 0 || frameCount < 2) return 0;
  let sum = 0;
  for (let f = 0; f + 1 < frameCount; f++) {
    const a = f * vertices * 2;
    const b = a + vertices * 2;
    for (const v of inside) {
      sum += Math.hypot(
        positions[b + v * 2]! - positions[a + v * 2]!,
        positions[b + v * 2 + 1]! - positions[a + v * 2 + 1]!,
      );
    }
  }
  return sum / (inside.length * (frameCount - 1));
}

function sharedCopy(values: Float32Array): Float32Array {
  const out = sharedFloat32(values.length);
  out.set(values);
  return out;
}

function sharedIndices(values: Uint32Array): Uint32Array {
  const out = new Uint32Array(new SharedArrayBuffer(Math.max(4, values.length * 4)), 0, values.length);
  out.set(values);
  return out;
}
