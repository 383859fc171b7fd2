// A click on a person selects the person, a click on a face selects the face (issue 12, point 2).
// Face: the face mesh's outline, filled at the photo's size. Person: the segmenter in use (SAM or the
// classic one) prompted with the click plus the person's confident keypoints and limb midpoints as
// positive clicks, inside the person's box grown to take in hair and arms; it refines on the full-size
// photo as it does for any click. A click elsewhere, or one that refines a region, is not ours.
import type { Click, Mask } from '../../shared/index.js';
import type { RgbaImage } from '../image/types.js';
import type { HoverFloods, SegmentOutput, SegmentRequest, Segmenter } from '../segment/types.js';
import { FACE_OVAL, insidePolygon, meshPoints, type Point } from './landmarks.js';
import { keypoint, type BodyPart, type FoundBody, type FoundFace, type FoundPeople } from './types.js';

export type PersonHit =
  { kind: 'face'; face: FoundFace } | { kind: 'person'; body: FoundBody; face: FoundFace | null };

/** Bones along which a click counts as on the person (and whose midpoints prompt the segmenter). */
const BONES: ReadonlyArray<readonly [BodyPart, BodyPart]> = [
  ['leftShoulder', 'rightShoulder'],
  ['leftShoulder', 'leftElbow'],
  ['leftElbow', 'leftWrist'],
  ['rightShoulder', 'rightElbow'],
  ['rightElbow', 'rightWrist'],
  ['leftShoulder', 'leftHip'],
  ['rightShoulder', 'rightHip'],
  ['leftHip', 'rightHip'],
  ['leftHip', 'leftKnee'],
  ['leftKnee', 'leftAnkle'],
  ['rightHip', 'rightKnee'],
  ['rightKnee', 'rightAnkle'],
  ['nose', 'leftShoulder'],
  ['nose', 'rightShoulder'],
];

export function faceOutline(face: FoundFace): Point[] {
  return meshPoints(face, FACE_OVAL);
}

/** The person's scale: shoulder width, else the face's width, else a share of the body's box. */
function bodyScale(body: FoundBody): number {
  const l = keypoint(body, 'leftShoulder');
  const r = keypoint(body, 'rightShoulder');
  if (l && r) return Math.hypot(l.x - r.x, l.y - r.y);
  return Math.max(body.box[2], body.box[3]) * 0.3;
}

function distanceToSegment(x: number, y: number, a: Point, b: Point): number {
  const [ax, ay] = a;
  const dx = b[0] - ax;
  const dy = b[1] - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

function bones(body: FoundBody): [Point, Point][] {
  const out: [Point, Point][] = [];
  for (const [a, b] of BONES) {
    const ka = keypoint(body, a);
    const kb = keypoint(body, b);
    if (ka && kb)
      out.push([
        [ka.x, ka.y],
        [kb.x, kb.y],
      ]);
  }
  return out;
}

function torso(body: FoundBody): Point[] | null {
  const parts: BodyPart[] = ['leftShoulder', 'rightShoulder', 'rightHip', 'leftHip'];
  const points = parts.map((p) => keypoint(body, p));
  return points.every((k) => k) ? points.map((k) => [k!.x, k!.y] as Point) : null;
}

/** Whether (x, y) lies on the body: in its torso, or within a third of the shoulder width of a bone. */
function onBody(body: FoundBody, x: number, y: number): boolean {
  const shape = torso(body);
  if (shape && insidePolygon(x, y, shape)) return true;
  const reach = bodyScale(body) / 3;
  return bones(body).some(([a, b]) => distanceToSegment(x, y, a, b) <= reach);
}

/** The face whose mesh centre lies nearest the body's nose (or inside its box). */
function faceOf(body: FoundBody, faces: readonly FoundFace[]): FoundFace | null {
  const nose = keypoint(body, 'nose');
  let best: FoundFace | null = null;
  let bestDistance = Infinity;
  for (const face of faces) {
    const cx = face.box[0] + face.box[2] / 2;
    const cy = face.box[1] + face.box[3] / 2;
    const d = nose ? Math.hypot(cx - nose.x, cy - nose.y) : Infinity;
    const inBox = cx >= body.box[0] && cx <= body.box[0] + body.box[2] && cy >= body.box[1] - face.box[3];
    if ((d < face.box[2] || (!nose && inBox)) && d <= bestDistance) {
      best = face;
      bestDistance = d;
    }
  }
  return best;
}

/** What a click at (x, y) lands on: a face, a person, or nothing we know. */
export function hitPerson(people: FoundPeople, x: number, y: number): PersonHit | null {
  for (const face of people.faces) {
    if (insidePolygon(x, y, faceOutline(face))) return { kind: 'face', face };
  }
  for (const body of people.bodies) {
    const face = faceOf(body, people.faces);
    const inHead = face !== null && insideBox(x, y, grow(face.box, 0.35));
    if (onBody(body, x, y) || inHead) return { kind: 'person', body, face };
  }
  return null;
}

/** A detected body as a person hit, with the face found on it (if any). */
export function personOf(people: FoundPeople, body: FoundBody): Extract<PersonHit, { kind: 'person' }> {
  return { kind: 'person', body, face: faceOf(body, people.faces) };
}

type Rect = [number, number, number, number];

function grow(box: Rect, share: number): Rect {
  const dx = box[2] * share;
  const dy = box[3] * share;
  return [box[0] - dx, box[1] - dy, box[2] + 2 * dx, box[3] + 2 * dy];
}

/** Whether (x, y) lies in a box given as x, y, width, height (edges included). */
export function insideBox(x: number, y: number, box: Rect): boolean {
  return x >= box[0] && y >= box[1] && x <= box[0] + box[2] && y <= box[1] + box[3];
}

/** The face's outline filled at the photo's size. */
export function faceMask(face: FoundFace, width: number, height: number): Mask {
  return fillPolygon(faceOutline(face), width, height);
}

export function fillPolygon(polygon: readonly Point[], width: number, height: number): Mask {
  const data = new Uint8Array(width * height);
  const ys = polygon.map((p) => p[1]);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  const crossings: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      const [xi, yi] = polygon[i]!;
      const [xj, yj] = polygon[j]!;
      if (yi > cy !== yj > cy) crossings.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const xs = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const xe = Math.min(width - 1, Math.floor(crossings[k + 1]! - 0.5));
      if (xe >= xs) data.fill(255, y * width + xs, y * width + xe + 1);
    }
  }
  return { width, height, data };
}

/** The prompts that make a segmenter take the whole person: keypoints, limb midpoints, the face. */
export function personPrompt(
  hit: Extract<PersonHit, { kind: 'person' }>,
  click: Click,
  width: number,
  height: number,
): Pick<SegmentRequest, 'clicks' | 'box'> {
  const { body, face } = hit;
  const clicks: Click[] = [click];
  const add = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) clicks.push({ x, y, positive: true });
  };
  for (const k of body.keypoints) if (!/Eye|Ear/.test(k.part)) add(k.x, k.y);
  for (const [a, b] of bones(body)) add((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
  if (face) add(face.box[0] + face.box[2] / 2, face.box[1] + face.box[3] / 2);
  // The box: the keypoints' box, grown by half the shoulder width sideways (arms, sleeves), by the
  // head's height upwards (hair above the eyes) and a little downwards; with the face's box grown too.
  const scale = bodyScale(body);
  let x0 = body.box[0] - scale * 0.5;
  let x1 = body.box[0] + body.box[2] + scale * 0.5;
  let y0 = body.box[1] - scale * 0.8;
  const y1 = body.box[1] + body.box[3] + scale * 0.3;
  if (face) {
    const head = grow(face.box, 0.45);
    x0 = Math.min(x0, head[0]);
    y0 = Math.min(y0, head[1]);
    x1 = Math.max(x1, head[0] + head[2]);
  }
  return {
    clicks: clicks.slice(0, 64),
    box: {
      x0: Math.max(0, x0),
      y0: Math.max(0, y0),
      x1: Math.min(width - 1, x1),
      y1: Math.min(height - 1, y1),
    },
  };
}

/**
 * A piece of the person the segmenter is asked for: a click, inside the person's box, or inside the
 * head's (the hair: in the person's box its piece ran on into the backdrop of the same grey-brown, 26% of
 * the astronaut's frame at 512 px and 41% of it cropped to 1080x1920; in the head's box the backdrop
 * round it is what GrabCut learns as not hair, and the piece is her hair).
 */
type Seed = Click & { within: 'person' | 'head' };

/** Pieces of the person the segmenter is asked for one by one: the click, hair, collar, torso, arms. */
function personSeeds(hit: Extract<PersonHit, { kind: 'person' }>, click: Click): Seed[] {
  const { body, face } = hit;
  const seeds: Seed[] = [{ ...click, within: 'person' }];
  const add = (x: number, y: number, within: Seed['within'] = 'person') =>
    seeds.push({ x, y, positive: true, within });
  if (face) {
    // Hair: above the eyes by 0.55 of the face box; the collar or neck: below the chin.
    const [fx, fy, fw, fh] = face.box;
    add(fx + fw / 2, fy - fh * 0.05, 'head');
    add(fx + fw / 2, fy + fh * 1.25);
  }
  for (const [a, b] of bones(body)) add((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
  return seeds;
}

/** A piece the segmenter gives for a seed is the person's when this share of it lies near her skeleton. */
const ON_PERSON = 0.75;
/**
 * The piece at the click itself needs less: the click was on the person, and a skeleton seen only in
 * part (the cameraman's coat, 0.74 near his partial skeleton) would otherwise leave only the face.
 */
const ON_PERSON_AT_CLICK = 0.5;

/**
 * The head with its hair, as an ellipse about the face's oval (the mesh's outline, forehead to chin):
 * HEAD_WIDE times its half width each side, from HEAD_UP times its half height above its middle (the
 * hair) to HEAD_DOWN times it below (the chin and the neck). The face's box was grown before, and where
 * the face is large in the frame (the astronaut cropped to 1080x1920: a 714-pixel box in a 1080-pixel
 * width) the grown box spanned the frame's width, so the backdrop beside her head counted as her.
 */
const HEAD_WIDE = 1.6;
const HEAD_UP = 1.9;
const HEAD_DOWN = 1.3;

interface HeadZone {
  cx: number;
  cy: number;
  /** Half width, and the reach above and below the middle. */
  rx: number;
  up: number;
  down: number;
}

function headZone(face: FoundFace): HeadZone {
  const oval = faceOutline(face);
  const xs = oval.map((p) => p[0]);
  const ys = oval.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys);
  const halfHeight = (y1 - y0) / 2;
  return {
    cx: (x0 + x1) / 2,
    cy: (y0 + y1) / 2,
    rx: ((x1 - x0) / 2) * HEAD_WIDE,
    up: halfHeight * HEAD_UP,
    down: halfHeight * HEAD_DOWN,
  };
}

/** The head zone's bounding box, inside the photo. */
function headBox(zone: HeadZone, width: number, height: number): NonNullable<SegmentRequest['box']> {
  return {
    x0: Math.max(0, zone.cx - zone.rx),
    y0: Math.max(0, zone.cy - zone.up),
    x1: Math.min(width - 1, zone.cx + zone.rx),
    y1: Math.min(height - 1, zone.cy + zone.down),
  };
}

function insideHead(zone: HeadZone, x: number, y: number): boolean {
  const u = (x - zone.cx) / zone.rx;
  const v = (y - zone.cy) / (y < zone.cy ? zone.up : zone.down);
  return u * u + v * v <= 1;
}

/**
 * Whether a photo pixel counts as the person's for a piece: within `reach` shoulder widths of a limb, in
 * the torso or in the head.
 */
export function onPersonAt(
  hit: Extract<PersonHit, { kind: 'person' }>,
  limbReach = 0.3,
): (x: number, y: number) => boolean {
  const reach = bodyScale(hit.body) * limbReach;
  const limbs = bones(hit.body);
  const shape = torso(hit.body);
  const head = hit.face ? headZone(hit.face) : null;
  return (x, y) =>
    (head !== null && insideHead(head, x, y)) ||
    (shape !== null && insidePolygon(x, y, shape)) ||
    limbs.some(([a, b]) => distanceToSegment(x, y, a, b) <= reach);
}

/** The share of a mask's pixels (sampled every 4th row and column) on the body or in the grown head box. */
function onPersonShare(hit: Extract<PersonHit, { kind: 'person' }>, mask: Mask): number {
  const on = onPersonAt(hit);
  let inside = 0;
  let total = 0;
  for (let y = 0; y < mask.height; y += 4) {
    for (let x = 0; x < mask.width; x += 4) {
      if (!mask.data[y * mask.width + x]) continue;
      total++;
      if (on(x, y)) inside++;
    }
  }
  return total === 0 ? 0 : inside / total;
}

function union(into: Uint8Array, from: Uint8Array): void {
  for (let i = 0; i < into.length; i++) if (from[i]) into[i] = 255;
}

/** Answers a click on a face or a person, or returns null to let the usual segmenter answer. */
export async function selectPerson(
  people: FoundPeople,
  photo: RgbaImage,
  request: SegmentRequest,
  segmenter: Segmenter,
  signal?: AbortSignal,
): Promise<(SegmentOutput & { hit: PersonHit['kind'] }) | null> {
  if (request.previous || request.box || request.clicks.length !== 1) return null;
  const click = request.clicks[0]!;
  if (!click.positive) return null;
  const hit = hitPerson(people, click.x, click.y);
  if (!hit) return null;
  const { width, height } = photo;
  if (hit.kind === 'face') {
    return { mask: faceMask(hit.face, width, height), score: hit.face.score, hit: 'face' };
  }
  // The person: the pieces the segmenter finds at the click and along the skeleton (suit, collar, hair,
  // sleeves), each kept inside the person's box, with the face's outline; refined at the photo's size
  // by the segmenter as any click is.
  const { box } = personPrompt(hit, click, width, height);
  const mask: Mask = { width, height, data: new Uint8Array(width * height) };
  let score = 0;
  const seeds = personSeeds(hit, click);
  for (const seed of seeds) {
    if (
      seed.x < 0 ||
      seed.y < 0 ||
      seed.x >= width ||
      seed.y >= height ||
      mask.data[Math.floor(seed.y) * width + Math.floor(seed.x)]
    )
      continue;
    const within = seed.within === 'head' && hit.face ? headBox(headZone(hit.face), width, height) : box;
    const { x, y, positive } = seed;
    const piece = await segmenter.segment(
      photo,
      { ...request, clicks: [{ x, y, positive }], box: within },
      signal,
    );
    const needed = seed === seeds[0] ? ON_PERSON_AT_CLICK : ON_PERSON;
    if (onPersonShare(hit, piece.mask) < needed) continue; // the wall behind her, not her
    union(mask.data, piece.mask.data);
    score = Math.max(score, piece.score);
  }
  if (hit.face) union(mask.data, faceMask(hit.face, width, height).data);
  // No piece stayed on the person (a surfer in spray: every piece ran into the water): the click is
  // answered as any click, not with an empty region.
  if (!mask.data.some((v) => v > 0)) return null;
  return { mask, score: Math.min(score, hit.body.score), hit: 'person' };
}

/**
 * What the hover outline shows over a face or a person before any click (issue 12, point 2): the face's
 * outline, or the person as the union of the hover's floods (`floodsAt`: no graph cut, so it answers in
 * the hover's time) from the click, every confident keypoint and points along each bone, keeping the
 * floods that lie on the person, with the face. At the hover outline's size, `size`.
 */
export async function peopleOutline(
  hit: PersonHit,
  point: { x: number; y: number },
  photoSize: { width: number; height: number },
  size: { width: number; height: number },
  floodsAt: (points: ReadonlyArray<{ x: number; y: number }>) => Promise<HoverFloods>,
): Promise<Mask> {
  const scale = size.width / photoSize.width;
  const face = hit.face;
  const faceData = face
    ? fillPolygon(
        faceOutline(face).map(([x, y]) => [x * scale, y * scale] as Point),
        size.width,
        size.height,
      ).data
    : null;
  if (hit.kind === 'face') return { ...size, data: faceData! };
  const seeds: Array<{ x: number; y: number }> = personSeeds(hit, { ...point, positive: true });
  for (const k of hit.body.keypoints) if (!/Eye|Ear/.test(k.part)) seeds.push(k);
  for (const [a, b] of bones(hit.body))
    for (const t of [0.2, 0.35, 0.65, 0.8])
      seeds.push({ x: a[0] + (b[0] - a[0]) * t, y: a[1] + (b[1] - a[1]) * t });
  const inside = seeds.filter((p) => p.x >= 0 && p.y >= 0 && p.x < photoSize.width && p.y < photoSize.height);
  const { width, height, labels, floods } = await floodsAt(inside);
  const data = new Uint8Array(size.width * size.height);
  if (width !== size.width || height !== size.height) return { ...size, data: faceData ?? data };
  // Whether each superpixel is on the person, judged at its centroid: a flood's share on the person is
  // then a sum over the superpixels it took (a per-pixel test of every flood cost 80 ms at 12 MP).
  const count = floods[0]?.length ?? 0;
  const area = new Float64Array(count);
  const sumX = new Float64Array(count);
  const sumY = new Float64Array(count);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const s = labels[i]!;
      area[s]! += 1;
      sumX[s]! += x;
      sumY[s]! += y;
    }
  }
  const onPerson = onPersonAt(hit);
  const on = new Uint8Array(count);
  for (let s = 0; s < count; s++)
    if (area[s]! > 0 && onPerson((sumX[s]! / area[s]! + 0.5) / scale, (sumY[s]! / area[s]! + 0.5) / scale))
      on[s] = 1;
  const taken = new Uint8Array(count);
  for (const flood of floods) {
    let onArea = 0;
    let total = 0;
    for (let s = 0; s < count; s++) {
      if (!flood[s]) continue;
      total += area[s]!;
      if (on[s]) onArea += area[s]!;
    }
    if (total > 0 && onArea / total >= ON_PERSON) for (let s = 0; s < count; s++) if (flood[s]) taken[s] = 1;
  }
  for (let i = 0; i < data.length; i++) if (taken[labels[i]!]) data[i] = 255;
  if (faceData) union(data, faceData);
  return { ...size, data };
}
