// Edge seams (issue 10, points 3 and 7): a TEAR at a region's mask edge, where the content on one side
// moved and on the other did not (or moved differently), so a stem crossing the edge kinks or breaks
// there. Not the presence of change on the edge: bends move a band outside the mask by design (their
// displacement fades over it), and a texture moving across the edge changes it smoothly; both are right.
// So this reads the CONTINUITY of the motion across the edge. Around each stretch of edge, the pixels
// are put in rings by their signed distance from it (0-4, 4-8, 8-12 px, inside and outside), and each
// frame is matched against the photo, ring by ring, by whole-pixel shifts: how much worse two
// neighbouring rings fit when they must share one shift than when each takes its own is the jump in
// displacement between them, read in pixels against the photo's texture there (a flat area, where no
// shift can be told from another, reads no jump: a tear there is not seen either). A seam is the jump
// across the edge beyond the largest jump between neighbouring rings on either side, the same 4 px
// apart: a fade over a band, inside or outside, spreads its change over rings and reads nothing extra
// on the edge; a tear puts all of it there. A jump counts as far as the photo's structure there crosses
// the edge: where it runs along it (an object's outline over what is behind it), a jump is that outline
// moving, as it should. Matching the photo directly rather than reading the eval's optical flow, which
// is smoothed and would blur a tear into a fade.
import type { GreyImage } from '../../flow/index.js';
import { signedDistance } from './texture.js';

export interface EdgeSeam {
  /**
   * The largest, over tiles along the edge, of the mean over frames of the displacement jump across the
   * edge beyond the largest jump nearby, in about pixels: 0 for motion continuous across the edge, about
   * the offset between the two sides for a tear.
   */
  jump: number;
  /** Centre of that tile, in pixels. */
  at: { x: number; y: number };
}

const TILE = 16;
/** Width of a ring, px; the rings run 0-4, 4-8 and 8-12 px from the edge on each side. */
const RING = 4;
const RINGS = 3;
/** Shifts tried, px each way: more than a bend moves an edge at the eval's 512-px size (the marigold's
 * petal tip moves further than 8 px). */
const REACH = 16;
/** Grey levels^2 added to the photo's gradient energy so a flat area is not divided by nothing. */
const FLOOR = 4;
/** Frames matched, evenly spaced: a tear lasts over many frames, and every frame costs 300-odd shifts. */
const MOST_FRAMES = 24;
/** Pixels on the inside of the edge that make a tile. */
const LEAST_EDGE = 8;
/** Pixels a ring needs in a tile to be matched at all. */
const LEAST_RING = 16;

interface Tile {
  /** Cell centre, px. */
  at: { x: number; y: number };
  /** Per ring (inside 3..1 then outside 1..3): its pixels' x and y. */
  xs: Int32Array[];
  ys: Int32Array[];
  /** Per ring: the photo's mean gradient energy there. */
  energy: number[];
  /** Per ring: the part of it along the edge, from structures that cross the edge (stems, blades). */
  crossing: number[];
}

/** `inside`: the region's mask at the frames' size. null when it has no edge inside the frame. */
export function edgeSeam(
  frames: readonly GreyImage[],
  photo: GreyImage,
  inside: Uint8Array,
): EdgeSeam | null {
  const tiles = edgeTiles(photo, inside);
  if (tiles.length === 0) return null;
  const step = Math.max(1, Math.ceil(frames.length / MOST_FRAMES));
  const used = frames.filter((_, k) => k % step === 0);
  let best: EdgeSeam = { jump: 0, at: tiles[0]!.at };
  for (const tile of tiles) {
    let sum = 0;
    for (const frame of used) sum += frameSeam(tile, frame, photo);
    const jump = sum / used.length;
    if (jump > best.jump) best = { jump, at: tile.at };
  }
  return best;
}

/** One frame's jump across the edge of a tile beyond the largest jump between neighbouring rings. */
function frameSeam(tile: Tile, frame: GreyImage, photo: GreyImage): number {
  const costs = new ShiftCosts(tile, frame, photo);
  const across = jump(tile, costs, RINGS - 1, RINGS);
  let nearby = 0;
  for (let ring = 0; ring < 2 * RINGS - 1; ring++) {
    if (ring === RINGS - 1 || !costs.matched(ring) || !costs.matched(ring + 1)) continue;
    nearby = Math.max(nearby, jump(tile, costs, ring, ring + 1));
  }
  // Beyond the largest nearby, not beyond a multiple of it: twice it also read swaying grass quiet, but
  // hid the dune-grass clip's torn stems at the horizon, whose rings beside the edge move too.
  return Math.max(0, across - nearby);
}

/**
 * The jump in displacement between two rings, about px: the extra squared difference per pixel when
 * they share one shift, over the photo's gradient energy there (a shift error d on texture of
 * gradient energy g, all across it, adds about d^2 g / 4 per pixel when two rings split it). It grows
 * with the offset up to about the width of the structures cut, where the misfit saturates.
 */
function jump(tile: Tile, costs: ShiftCosts, a: number, b: number): number {
  const { ownA, ownB, shared } = costs.pair(a, b);
  const na = tile.xs[a]!.length;
  const nb = tile.xs[b]!.length;
  const extra = Math.max(0, shared - ownA - ownB) / (na + nb);
  const energy = (tile.energy[a]! * na + tile.energy[b]! * nb) / (na + nb);
  const crossing = (tile.crossing[a]! * na + tile.crossing[b]! * nb) / (na + nb);
  // A jump shows as a tear where structures cross the edge; where the photo's structure runs along it
  // (an object's outline over a dark gap, a sliver between filaments) it reads as that outline moving,
  // as an object's outline does over what is behind it. Texture with no direction is half crossing.
  const seen = Math.min(1, (2 * crossing) / (energy + FLOOR));
  return seen * Math.sqrt((4 * extra) / (energy + FLOOR));
}

/**
 * Per ring, the sum of (frame - photo moved by a whole-pixel shift)^2, for shifts up to REACH each way,
 * computed as asked: a search over even shifts, then the eight around the best of them (a bend moves
 * an edge further than a shift search over every pixel could afford).
 */
class ShiftCosts {
  readonly #side = 2 * REACH + 1;
  readonly #costs: Float64Array[];

  constructor(
    private readonly tile: Tile,
    private readonly frame: GreyImage,
    private readonly photo: GreyImage,
  ) {
    this.#costs = tile.xs.map(() => new Float64Array(this.#side * this.#side).fill(-1));
  }

  matched(ring: number): boolean {
    return this.tile.xs[ring]!.length >= LEAST_RING;
  }

  /**
   * The least cost of each ring on its own and of both under one shift: the best even shift of a, of b
   * and of both, each with the eight around it, tried on both rings.
   */
  pair(a: number, b: number): { ownA: number; ownB: number; shared: number } {
    const centres = [this.#coarse([a]), this.#coarse([b]), this.#coarse([a, b])];
    let ownA = Infinity;
    let ownB = Infinity;
    let shared = Infinity;
    for (const centre of centres) {
      for (let sy = Math.max(-REACH, centre.sy - 1); sy <= Math.min(REACH, centre.sy + 1); sy++) {
        for (let sx = Math.max(-REACH, centre.sx - 1); sx <= Math.min(REACH, centre.sx + 1); sx++) {
          const ca = this.#cost(a, sx, sy);
          const cb = this.#cost(b, sx, sy);
          ownA = Math.min(ownA, ca);
          ownB = Math.min(ownB, cb);
          shared = Math.min(shared, ca + cb);
        }
      }
    }
    return { ownA, ownB, shared };
  }

  /** The even shift with the least summed cost of `rings`. */
  #coarse(rings: readonly number[]): { sx: number; sy: number } {
    let best = { sx: 0, sy: 0, cost: Infinity };
    for (let sy = -REACH; sy <= REACH; sy += 2) {
      for (let sx = -REACH; sx <= REACH; sx += 2) {
        const cost = this.#sum(rings, sx, sy);
        if (cost < best.cost) best = { sx, sy, cost };
      }
    }
    return best;
  }

  #sum(rings: readonly number[], sx: number, sy: number): number {
    let sum = 0;
    for (const ring of rings) sum += this.#cost(ring, sx, sy);
    return sum;
  }

  #cost(ring: number, sx: number, sy: number): number {
    const at = (sy + REACH) * this.#side + sx + REACH;
    const known = this.#costs[ring]![at]!;
    if (known >= 0) return known;
    const { width, height } = this.photo;
    const xs = this.tile.xs[ring]!;
    const ys = this.tile.ys[ring]!;
    let sum = 0;
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k]!;
      const y = ys[k]!;
      const qx = Math.min(width - 1, Math.max(0, x - sx));
      const qy = Math.min(height - 1, Math.max(0, y - sy));
      const diff = this.frame.data[y * width + x]! - this.photo.data[qy * width + qx]!;
      sum += diff * diff;
    }
    this.#costs[ring]![at] = sum;
    return sum;
  }
}

/**
 * Tiles along the edge: the 16-px cell of each pixel on the inside of the edge, holding the ring pixels
 * nearest to it (grown out from there, so both sides of one stretch of edge fall in one tile).
 */
function edgeTiles(photo: GreyImage, inside: Uint8Array): Tile[] {
  const { width, height } = photo;
  const distance = signedDistance(inside, width, height);
  const tilesX = Math.ceil(width / TILE);
  const owner = new Int32Array(width * height).fill(-1);
  const edgeCount = new Map<number, number>();
  let queue: number[] = [];
  for (let i = 0; i < owner.length; i++) {
    // Seeds on the inside of the edge only, so the pixels just outside join their tile too.
    if (distance[i]! >= 0 || distance[i]! < -1.5) continue;
    const x = i % width;
    const y = Math.floor(i / width);
    const cell = Math.floor(y / TILE) * tilesX + Math.floor(x / TILE);
    owner[i] = cell;
    queue.push(i);
    if (x > 0 && y > 0 && x < width - 1 && y < height - 1)
      edgeCount.set(cell, (edgeCount.get(cell) ?? 0) + 1);
  }
  const reach = RING * RINGS;
  while (queue.length > 0) {
    const next: number[] = [];
    for (const i of queue) {
      const x = i % width;
      const y = Math.floor(i / width);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (owner[j] !== -1 || Math.abs(distance[j]!) > reach) continue;
          owner[j] = owner[i]!;
          next.push(j);
        }
      }
    }
    queue = next;
  }
  // Rings per cell: index 0..RINGS-1 inside (farthest first), RINGS..2 RINGS-1 outside (nearest first).
  const rings = new Map<number, { x: number[]; y: number[]; energy: number[]; crossing: number[] }[]>();
  for (let i = 0; i < owner.length; i++) {
    const cell = owner[i]!;
    if (cell < 0 || (edgeCount.get(cell) ?? 0) < LEAST_EDGE) continue;
    const x = i % width;
    const y = Math.floor(i / width);
    if (x < 1 || y < 1 || x >= width - 1 || y >= height - 1) continue;
    const d = distance[i]!;
    const step = Math.min(RINGS - 1, Math.floor((Math.abs(d) - 1) / RING));
    const ring = d < 0 ? RINGS - 1 - step : RINGS + step;
    let cellRings = rings.get(cell);
    if (!cellRings) {
      cellRings = Array.from({ length: 2 * RINGS }, () => ({ x: [], y: [], energy: [], crossing: [] }));
      rings.set(cell, cellRings);
    }
    cellRings[ring]!.x.push(x);
    cellRings[ring]!.y.push(y);
    // The texture's energy on its own side: a mask edge on an object's outline would otherwise count
    // the outline's step, which no shift along it changes, and read a tear there as smaller.
    const side = inside[i];
    if (
      inside[i - 1] === side &&
      inside[i + 1] === side &&
      inside[i - width] === side &&
      inside[i + width] === side
    ) {
      const gx = (photo.data[i + 1]! - photo.data[i - 1]!) / 2;
      const gy = (photo.data[i + width]! - photo.data[i - width]!) / 2;
      // The edge's normal: the way the distance from it grows.
      const nx = distance[i + 1]! - distance[i - 1]!;
      const ny = distance[i + width]! - distance[i - width]!;
      const norm = Math.hypot(nx, ny) || 1;
      const across = (gx * nx + gy * ny) / norm;
      cellRings[ring]!.energy.push(gx * gx + gy * gy);
      cellRings[ring]!.crossing.push(gx * gx + gy * gy - across * across);
    }
  }
  const tiles: Tile[] = [];
  for (const [cell, cellRings] of rings) {
    if (cellRings[RINGS - 1]!.x.length < LEAST_RING || cellRings[RINGS]!.x.length < LEAST_RING) continue;
    tiles.push({
      at: { x: (cell % tilesX) * TILE + TILE / 2, y: Math.floor(cell / tilesX) * TILE + TILE / 2 },
      xs: cellRings.map((r) => Int32Array.from(r.x)),
      ys: cellRings.map((r) => Int32Array.from(r.y)),
      energy: cellRings.map((r) => mean(r.energy)),
      crossing: cellRings.map((r) => mean(r.crossing)),
    });
  }
  return tiles;
}

function mean(values: readonly number[]): number {
  return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}
