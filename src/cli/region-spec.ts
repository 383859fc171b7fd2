// Parsing `--region` values of `stir animate`:
//
//   X,Y:MOTION[:STRENGTH][:dir=ANGLE][:tempo=HZ][:start=S][:end=S][:seed=N]
//   X,Y;X,Y;!X,Y:MOTION...      several clicks; "!" marks a negative click (removes from the region)
//   all:MOTION...               the whole photo (camera motions: zoom in, pan)
//   ...:path=X,Y;X,Y;X,Y        a motion path the region follows (fluids flow along it, a travel moves
//                               along it); several paths (arrows) separated by "|"
//   ...:anchor=X,Y|X,Y          points a fluid region holds still around
//   ...:freeze=X,Y,R|X,Y,R      discs (radius R) where a fluid region holds still (the freeze brush)
//
// `--path X,Y;X,Y...` and `--anchor X,Y` given after a --region add to that region (parseGuideFlag).
//
// MOTION may contain spaces ("flap the wings"); quote the whole value in the shell.
import {
  DEFAULT_STRENGTH,
  GUIDE_LIMITS,
  LIMITS,
  StirError,
  type Click,
  type FreezeStroke,
  type MotionPath,
  type Point,
} from '../shared/index.js';

export interface CliRegion {
  /** Null for the whole photo. */
  clicks: Click[] | null;
  prompt: string;
  strength: number;
  direction: number | null;
  start: number;
  end: number | null;
  seed: number;
  /** Cycles per second of a periodic motion; null for the word's own. */
  tempo: number | null;
  /** Drawn guides in photo pixels (model.ts): motion paths, anchors, freeze discs. */
  paths: MotionPath[];
  anchors: Point[];
  freeze: FreezeStroke[];
  /** The text as given, for messages. */
  source: string;
}

function bad(source: string, why: string): StirError {
  return new StirError('BAD_REQUEST', `--region "${source}": ${why}.`, {
    hint: 'Write it as X,Y:MOTION[:STRENGTH][:dir=ANGLE], for example --region "240,120:sway:3" or --region "all:zoom in".',
  });
}

function parseNumber(source: string, text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw bad(source, `${what} "${text}" is not a number`);
  return value;
}

function parseClicks(source: string, text: string): Click[] | null {
  if (text.trim().toLowerCase() === 'all') return null;
  return text.split(';').map((part) => {
    const trimmed = part.trim();
    const positive = !trimmed.startsWith('!');
    const [xs, ys, ...extra] = (positive ? trimmed : trimmed.slice(1)).split(',');
    if (xs === undefined || ys === undefined || extra.length > 0)
      throw bad(source, `"${part}" is not a click X,Y`);
    return { x: parseNumber(source, xs, 'x'), y: parseNumber(source, ys, 'y'), positive };
  });
}

export function parseRegionSpec(source: string): CliRegion {
  const parts = source.split(':');
  const [where, motion, ...rest] = parts;
  if (where === undefined || motion === undefined || motion.trim() === '')
    throw bad(source, 'a click and a motion word are needed');
  const clicks = parseClicks(source, where);
  if (clicks && !clicks.some((c) => c.positive)) throw bad(source, 'at least one click must be positive');

  const region: CliRegion = {
    clicks,
    prompt: motion.trim(),
    strength: DEFAULT_STRENGTH,
    direction: null,
    start: 0,
    end: null,
    seed: 0,
    tempo: null,
    paths: [],
    anchors: [],
    freeze: [],
    source,
  };
  for (const option of rest) {
    const [key, value] = option.includes('=') ? option.split('=', 2) : ['strength', option];
    if (value === undefined) throw bad(source, `"${option}" has no value`);
    switch (key?.trim()) {
      case 'strength':
        region.strength = parseNumber(source, value, 'strength');
        if (region.strength < LIMITS.strengthMin || region.strength > LIMITS.strengthMax) {
          throw bad(
            source,
            `strength must be between ${LIMITS.strengthMin} and ${LIMITS.strengthMax} pixels per frame`,
          );
        }
        break;
      case 'dir':
        region.direction = parseNumber(source, value, 'direction');
        break;
      case 'start':
        region.start = parseNumber(source, value, 'start');
        break;
      case 'end':
        region.end = parseNumber(source, value, 'end');
        break;
      case 'tempo':
        region.tempo = parseNumber(source, value, 'tempo');
        if (region.tempo < LIMITS.tempoMin || region.tempo > LIMITS.tempoMax) {
          throw bad(
            source,
            `tempo must be between ${LIMITS.tempoMin} and ${LIMITS.tempoMax} cycles per second`,
          );
        }
        break;
      case 'seed':
        region.seed = Math.trunc(parseNumber(source, value, 'seed'));
        break;
      case 'path':
        for (const path of value.split('|')) region.paths.push(parsePath(source, path));
        break;
      case 'anchor':
        for (const point of value.split('|')) region.anchors.push(parsePoint(source, point, 'an anchor'));
        break;
      case 'freeze':
        for (const disc of value.split('|')) region.freeze.push(parseFreezeDisc(source, disc));
        break;
      default:
        throw bad(
          source,
          `unknown option "${key}" (known: strength, dir, tempo, start, end, seed, path, anchor, freeze)`,
        );
    }
  }
  checkGuideCounts(region);
  return region;
}

function parsePoint(source: string, text: string, what: string): Point {
  const [xs, ys, ...extra] = text.split(',');
  if (xs === undefined || ys === undefined || extra.length > 0)
    throw bad(source, `"${text}" is not ${what} X,Y`);
  return { x: parseNumber(source, xs, 'x'), y: parseNumber(source, ys, 'y') };
}

function parsePath(source: string, text: string): MotionPath {
  const points = text.split(';').map((part) => parsePoint(source, part.trim(), 'a path point'));
  if (points.length < 2) throw bad(source, `the path "${text}" needs at least two points X,Y;X,Y`);
  if (points.length > GUIDE_LIMITS.pathPoints)
    throw bad(source, `the path "${text}" has more than ${GUIDE_LIMITS.pathPoints} points`);
  return points;
}

function parseFreezeDisc(source: string, text: string): FreezeStroke {
  const [xs, ys, rs, ...extra] = text.split(',');
  if (xs === undefined || ys === undefined || rs === undefined || extra.length > 0)
    throw bad(source, `"${text}" is not a freeze disc X,Y,R`);
  const radius = parseNumber(source, rs, 'radius');
  if (radius < 0.5 || radius > 2000) throw bad(source, `the freeze radius ${rs} must be 0.5 to 2000 pixels`);
  return {
    radius,
    erase: false,
    points: [{ x: parseNumber(source, xs, 'x'), y: parseNumber(source, ys, 'y') }],
  };
}

function checkGuideCounts(region: CliRegion): void {
  if (region.paths.length > GUIDE_LIMITS.paths)
    throw bad(region.source, `a region takes at most ${GUIDE_LIMITS.paths} paths`);
  if (region.anchors.length > GUIDE_LIMITS.anchors)
    throw bad(region.source, `a region takes at most ${GUIDE_LIMITS.anchors} anchors`);
  if (region.freeze.length > GUIDE_LIMITS.freezeStrokes)
    throw bad(region.source, `a region takes at most ${GUIDE_LIMITS.freezeStrokes} freeze discs`);
}

/**
 * `--path X,Y;X,Y...` or `--anchor X,Y` given after a --region: adds to that region (the last one
 * given before it). Throws when no region comes before it.
 */
export function addGuideFlag(region: CliRegion | undefined, flag: 'path' | 'anchor', value: string): void {
  if (!region) {
    throw new StirError('BAD_REQUEST', `--${flag} "${value}" comes before any --region.`, {
      hint: `Give --${flag} after the --region it belongs to, for example --region "240,120:flow" --${flag} ${
        flag === 'path' ? '"100,200;300,180;420,260"' : '250,140'
      }.`,
    });
  }
  if (flag === 'path') region.paths.push(parsePath(`--path ${value}`, value));
  else region.anchors.push(parsePoint(`--anchor ${value}`, value, 'an anchor'));
  checkGuideCounts(region);
}

/** The guides' points outside a width x height photo, in words; null when all are inside. */
export function guideOutsidePhoto(region: CliRegion, width: number, height: number): string | null {
  const outside = (p: Point) => p.x < 0 || p.y < 0 || p.x >= width || p.y >= height;
  for (const path of region.paths) {
    const p = path.find(outside);
    if (p) return `The path point ${p.x},${p.y}`;
  }
  const anchor = region.anchors.find(outside);
  if (anchor) return `The anchor ${anchor.x},${anchor.y}`;
  const disc = region.freeze.find((stroke) => stroke.points.some(outside));
  if (disc) return `The freeze disc at ${disc.points[0]!.x},${disc.points[0]!.y}`;
  return null;
}

/**
 * A region whose points were given on a photo of `from` width, moved onto the photo Stir opened (a
 * photo over Stir's size limit opens scaled down; the person's coordinates are the file's own).
 */
export function scaleRegion(region: CliRegion, factor: number): CliRegion {
  if (factor === 1) return region;
  const point = <P extends Point>(p: P): P => ({ ...p, x: p.x * factor, y: p.y * factor });
  return {
    ...region,
    clicks: region.clicks?.map(point) ?? null,
    paths: region.paths.map((path) => path.map(point)),
    anchors: region.anchors.map(point),
    freeze: region.freeze.map((stroke) => ({
      ...stroke,
      radius: Math.max(0.5, stroke.radius * factor),
      points: stroke.points.map(point),
    })),
  };
}
