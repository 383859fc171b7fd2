// Parsing `--region` values of `stir animate`:
//
//   X,Y:MOTION[:STRENGTH][:dir=ANGLE][:tempo=HZ][:start=S][:end=S][:seed=N]
//   X,Y;X,Y;!X,Y:MOTION...      several clicks; "!" marks a negative click (removes from the region)
//   all:MOTION...               the whole photo (camera motions: zoom in, pan)
//
// MOTION may contain spaces ("flap the wings"); quote the whole value in the shell.
import { DEFAULT_STRENGTH, LIMITS, StirError, type Click } from '../shared/index.js';

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
      default:
        throw bad(source, `unknown option "${key}" (known: strength, dir, tempo, start, end, seed)`);
    }
  }
  return region;
}
