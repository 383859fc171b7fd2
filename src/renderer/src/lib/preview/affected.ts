// "Changing one region re-renders only what it affects." The preview remembers what each region looked like
// when its frames were rendered. After an edit it compares: if the clip itself changed (duration, fps, loop,
// engine, size) everything renders again; otherwise only the changed regions' areas are re-rendered, with
// every region that reaches into those areas, and composed into the frames already there.
// Valid because the built-in engine moves pixels only within a region's dilated mask (QUALITY.md: the
// background outside it is unchanged), or, for a motion that leaves it (a skinned arm that waves or is
// raised, a pose puppet), within the area the engine reported it reaching (the skinned mesh's bounds over
// every keyframe and the fill where the person was); the diffusion engine's regions interact, so it always
// renders whole.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RenderedRegion {
  /** Everything about the region that changes its pixels (mask version, motion, pose), as one string. */
  signature: string;
  /** Bounds of its mask in photo pixels; null for an empty mask. */
  bounds: Rect | null;
  /**
   * Where its motion changed pixels in the render that made the frames (photo pixels), as the engine
   * reported it; null or absent when not known.
   */
  reach?: Rect | null;
  /**
   * Whether its motion can leave the mask's grown bounds (a skinned body motion or the pose puppet): where
   * it goes is known only once rendered, so a change to it renders whole.
   */
  leavesMask?: boolean;
}

export interface RenderSnapshot {
  /** Everything about the clip as a whole but its size (duration, fps, loop, engine). */
  clipKey: string;
  /** Long side the frames were rendered at. Smaller windows show them scaled down (issue 13.1). */
  longSide: number;
  /** Visible regions only, bottom to top. */
  regions: ReadonlyMap<string, RenderedRegion>;
}

export type RenderPlan =
  { kind: 'none' } | { kind: 'full' } | { kind: 'partial'; regionIds: string[]; rects: Rect[] };

export function planRender(
  before: RenderSnapshot | null,
  after: RenderSnapshot,
  options: { photoWidth: number; photoHeight: number; margin: number; partialAllowed: boolean },
): RenderPlan {
  if (!before || before.clipKey !== after.clipKey) return { kind: 'full' };
  // A window grown past the frames' size needs sharper frames; one resized within it shows them as they are.
  if (after.longSide > before.longSide) return { kind: 'full' };
  const changed: Rect[] = [];
  const ids = new Set([...before.regions.keys(), ...after.regions.keys()]);
  for (const id of ids) {
    const a = before.regions.get(id);
    const b = after.regions.get(id);
    if (a && b && a.signature === b.signature) continue;
    // Where a changed motion that leaves its mask will go is not known before it renders.
    if (b?.leavesMask) return { kind: 'full' };
    for (const region of [a, b]) {
      if (region) changed.push(...areaOf(region, options));
    }
  }
  // Nothing that shows changed (or only empty masks did): the frames are still right.
  if (changed.length === 0) return { kind: 'none' };
  if (!options.partialAllowed) return { kind: 'full' };
  // A motion that leaves its mask, with no reach reported, may reach into any area.
  if ([...after.regions.values()].some((region) => region.leavesMask && !region.reach))
    return { kind: 'full' };
  const rects = mergeOverlapping(changed);
  const reaches = (region: RenderedRegion) =>
    areaOf(region, options).some((area) => rects.some((r) => intersects(r, area)));
  const regionIds = [...after.regions.entries()].filter(([, region]) => reaches(region)).map(([id]) => id);
  // Re-rendering every region is a whole render: do that instead of composing.
  if (regionIds.length === after.regions.size && after.regions.size > 0) return { kind: 'full' };
  return { kind: 'partial', regionIds, rects };
}

/**
 * Whether the render under way, which leaves the frames right for `underWay`, leaves them right for `now`
 * too: then an edit made meanwhile that changes nothing it draws (a pose keyframe the built-in engine does
 * not read, a change back to what it is rendering) lets it finish instead of starting it over.
 */
export function renderUnderWayServes(
  underWay: RenderSnapshot | null,
  now: RenderSnapshot,
  options: { photoWidth: number; photoHeight: number; margin: number; partialAllowed: boolean },
): boolean {
  return underWay !== null && planRender(underWay, now, options).kind === 'none';
}

/** Where a region may change pixels: its mask's bounds grown by the margin, and where its motion reached. */
function areaOf(
  region: RenderedRegion,
  options: { photoWidth: number; photoHeight: number; margin: number },
): Rect[] {
  const out: Rect[] = [];
  if (region.bounds) out.push(grow(region.bounds, options.margin, options.photoWidth, options.photoHeight));
  if (region.reach) out.push(grow(region.reach, 1, options.photoWidth, options.photoHeight));
  return out;
}

/**
 * What about a region changes its pixels, as one string. The built-in engine reads pose keyframes only
 * for a region whose motion is the pose puppet (`puppet`), so with it a pose edit on any other region
 * re-renders nothing; the diffusion engine's pose ControlNet reads them on every region.
 */
export function regionSignature(
  maskId: number,
  motion: unknown,
  pose: unknown,
  engine: 'motion' | 'diffusion',
  puppet = false,
): string {
  return JSON.stringify(engine === 'motion' && !puppet ? [maskId, motion] : [maskId, motion, pose]);
}

/** Long side to render at: the frames' own size while they are kept (a partial render composes into them). */
export function renderLongSide(plan: RenderPlan, cached: RenderSnapshot | null, wanted: number): number {
  return plan.kind === 'full' || !cached ? wanted : Math.max(wanted, cached.longSide);
}

export function grow(rect: Rect, margin: number, maxWidth: number, maxHeight: number): Rect {
  const x0 = Math.max(0, Math.floor(rect.x - margin));
  const y0 = Math.max(0, Math.floor(rect.y - margin));
  const x1 = Math.min(maxWidth, Math.ceil(rect.x + rect.width + margin));
  const y1 = Math.min(maxHeight, Math.ceil(rect.y + rect.height + margin));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** Joins rectangles that overlap until none do, so each area is composed once. */
export function mergeOverlapping(rects: readonly Rect[]): Rect[] {
  const out = rects.filter((r) => r.width > 0 && r.height > 0).map((r) => ({ ...r }));
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length; j++) {
        if (intersects(out[i]!, out[j]!)) {
          out[i] = union(out[i]!, out[j]!);
          out.splice(j, 1);
          merged = true;
          break;
        }
      }
    }
  }
  return out;
}
