// The motion lexicon: turns what a person typed ("Swaying", "flwo", "steam rising from the cup") into a
// motion word and its primitive, or says why not, naming the closest words (issue 3, point 1).
// Matching, in order: the whole phrase; the longest known phrase inside it; then the nearest word by
// edit distance. Both sides are compared as crude stems, so case, plurals and verb forms agree.
import type { EngineId, MotionInfo, MotionResolution } from '../../shared/index.js';
import { StirError } from '../../shared/index.js';
import type { MotionVocabulary } from '../ports.js';
import type { RegionSpec } from '../render/types.js';
import { editDistance } from './edit-distance.js';
import type { Degrees, MotionPrimitive } from './spec.js';
import { MOTION_WORDS, type MotionWord } from './words.js';

/** Words that carry no motion ("make the grass wave gently" means "wave"). */
const FILLER = new Set([
  'a',
  'an',
  'the',
  'its',
  'it',
  'his',
  'her',
  'their',
  'my',
  'your',
  'our',
  'this',
  'that',
  'some',
  'make',
  'let',
  'please',
  'gently',
  'slowly',
  'softly',
  'lightly',
  'quickly',
  'very',
  'really',
  'slightly',
  'bit',
  'little',
]);

/** Direction words a person may add ("pan left", "flow down"), as degrees counter-clockwise from right. */
const DIRECTION_WORDS: Record<string, Degrees> = {
  right: 0,
  rightward: 0,
  rightwards: 0,
  up: 90,
  upward: 90,
  upwards: 90,
  left: 180,
  leftward: 180,
  leftwards: 180,
  down: 270,
  downward: 270,
  downwards: 270,
};

/** Irregular verb forms that stemming cannot reach. */
const IRREGULAR: Record<string, string> = {
  blew: 'blow',
  blown: 'blow',
  flew: 'fly',
  flown: 'fly',
  flies: 'fly',
  rose: 'rise',
  risen: 'rise',
  fell: 'fall',
  fallen: 'fall',
  shook: 'shake',
  shaken: 'shake',
  swung: 'swing',
  spun: 'spin',
  drove: 'drive',
  driven: 'drive',
  sank: 'sink',
  sunk: 'sink',
  ran: 'run',
  wove: 'wave',
};

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);
const KEEP_DOUBLE = new Set(['ll', 'ss', 'zz', 'ff']);

function undouble(word: string): string {
  const last = word.slice(-2);
  if (last.length === 2 && last[0] === last[1] && !VOWELS.has(last[0]!) && !KEEP_DOUBLE.has(last)) {
    return word.slice(0, -1);
  }
  return word;
}

/** A crude stem: enough that "swaying", "sways" and "sway", or "rotating" and "rotate", agree. */
export function stem(token: string): string {
  let word = IRREGULAR[token] ?? token;
  if (word.length > 4 && word.endsWith('ies')) word = `${word.slice(0, -3)}y`;
  else if (word.length > 5 && word.endsWith('ing')) word = undouble(word.slice(0, -3));
  else if (word.length > 4 && word.endsWith('ed')) word = undouble(word.slice(0, -2));
  else if (word.length > 4 && /(s|x|z|ch|sh)es$/.test(word)) word = word.slice(0, -2);
  else if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) word = word.slice(0, -1);
  if (word.length > 3 && word.endsWith('e')) word = word.slice(0, -1);
  if (word.length > 2 && word.endsWith('y')) word = `${word.slice(0, -1)}i`;
  return word;
}

/** Lower case, letters only, filler dropped. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .split(' ')
    .filter((token) => token.length > 0 && !FILLER.has(token));
}

/** The inflected forms a person may type for a name, for typo matching ("swayng" is near "swaying"). */
function inflections(name: string): string[] {
  const tokens = tokenize(name);
  const [verb, ...rest] = tokens;
  if (verb === undefined) return [];
  const tail = rest.length > 0 ? ` ${rest.join(' ')}` : '';
  const bare = verb.endsWith('e') ? verb.slice(0, -1) : verb;
  const doubled = /[^aeiou][aeiou][bdglmnprt]$/.test(verb) ? verb + verb.slice(-1) : verb;
  const forms = new Set([
    verb,
    `${verb}s`,
    `${bare === verb ? doubled : bare}ing`,
    `${bare === verb ? doubled : bare}ed`,
  ]);
  return [...forms].map((form) => form + tail);
}

interface Candidate {
  entry: MotionWord;
  /** Stemmed tokens joined by spaces. */
  key: string;
  /** Plain and inflected spellings, for edit distance. */
  forms: string[];
}

const CANDIDATES: Candidate[] = MOTION_WORDS.flatMap((entry) =>
  [entry.word, ...entry.aliases].map((name) => ({
    entry,
    key: tokenize(name).map(stem).join(' '),
    forms: inflections(name),
  })),
);

const BY_KEY = new Map<string, MotionWord>();
for (const candidate of CANDIDATES)
  if (!BY_KEY.has(candidate.key)) BY_KEY.set(candidate.key, candidate.entry);

/** How many edits a typo may have, by the length of the word it is matched against. */
function tolerance(length: number): number {
  if (length <= 2) return 0;
  if (length <= 5) return 1;
  if (length <= 9) return 2;
  return 3;
}

export type LexiconMatch =
  | { kind: 'motion'; entry: MotionWord; motion: MotionPrimitive; direction: Degrees | null }
  | { kind: 'diffusion'; entry: MotionWord }
  | { kind: 'unknown'; suggestions: string[] }
  | { kind: 'empty' };

function matched(entry: MotionWord, tokens: readonly string[]): LexiconMatch {
  if (entry.motion === null) return { kind: 'diffusion', entry };
  const named = tokenize(entry.word).concat(entry.aliases.flatMap(tokenize));
  const directionToken = tokens.find((token) => token in DIRECTION_WORDS && !named.includes(token));
  const direction = directionToken === undefined ? null : DIRECTION_WORDS[directionToken]!;
  return { kind: 'motion', entry, motion: entry.motion, direction };
}

function exactMatch(tokens: readonly string[]): MotionWord | null {
  const stems = tokens.map(stem);
  const whole = BY_KEY.get(stems.join(' '));
  if (whole) return whole;
  // The longest known phrase inside the prompt, leftmost first ("steam rising from the cup": "steam").
  for (let length = Math.min(4, stems.length); length >= 1; length--) {
    for (let start = 0; start + length <= stems.length; start++) {
      const found = BY_KEY.get(stems.slice(start, start + length).join(' '));
      if (found) return found;
    }
  }
  return null;
}

/** Every candidate's distance to the prompt (the whole of it, and each word and word pair in it). */
function distances(tokens: readonly string[]): { candidate: Candidate; distance: number }[] {
  const pieces = new Set([tokens.join(' '), ...tokens]);
  for (let i = 0; i + 1 < tokens.length; i++) pieces.add(`${tokens[i]} ${tokens[i + 1]}`);
  return CANDIDATES.map((candidate) => {
    let best = Number.POSITIVE_INFINITY;
    for (const piece of pieces) {
      for (const form of candidate.forms) {
        const distance = editDistance(piece, form);
        // Only a typo if it is close for the form's length.
        const allowed = tolerance(form.length);
        best = Math.min(best, distance <= allowed ? distance : distance + 100);
      }
    }
    return { candidate, distance: best };
  }).sort((a, b) => a.distance - b.distance);
}

/** The closest distinct words, built-in motions first when `builtInOnly`. */
function suggestionsFrom(
  ranked: readonly { candidate: Candidate; distance: number }[],
  builtInOnly: boolean,
  count = 3,
): string[] {
  const words: string[] = [];
  for (const { candidate } of ranked) {
    if (builtInOnly && candidate.entry.motion === null) continue;
    if (!words.includes(candidate.entry.word)) words.push(candidate.entry.word);
    if (words.length === count) break;
  }
  return words;
}

/** What a typed motion means. */
export function matchMotion(prompt: string): LexiconMatch {
  const tokens = tokenize(prompt);
  if (tokens.length === 0) return { kind: 'empty' };
  const exact = exactMatch(tokens);
  if (exact) return matched(exact, tokens);
  // Leave direction words out for the typo search ("flwo down" is "flow", downwards).
  const motionTokens = tokens.filter((token) => !(token in DIRECTION_WORDS));
  const ranked = distances(motionTokens.length > 0 ? motionTokens : tokens);
  const best = ranked[0];
  if (best && best.distance < 100) return matched(best.candidate.entry, tokens);
  return { kind: 'unknown', suggestions: suggestionsFrom(ranked, true) };
}

const quote = (text: string) => `“${text.trim()}”`;

function needsDiffusionMessage(prompt: string, entry: MotionWord): string {
  const said =
    entry.word === prompt.trim().toLowerCase() ? quote(entry.word) : `${quote(prompt)} (${entry.word})`;
  return `${said} is a living movement that only the diffusion engine can make; the built-in engine moves things physically (sway, flow, ripple, zoom...).`;
}

function unknownMessage(prompt: string, suggestions: readonly string[]): string {
  const closest = suggestions.length > 0 ? ` The closest are: ${suggestions.join(', ')}.` : '';
  return `Stir does not know the motion ${quote(prompt)}.${closest}`;
}

function info(entry: MotionWord): MotionInfo {
  const motion = entry.motion;
  return {
    word: entry.word,
    aliases: [...entry.aliases],
    primitive: motion?.primitive ?? 'diffusion',
    description: entry.description,
    engine: motion ? 'motion' : 'diffusion',
    loops: motion !== null && motion.primitive !== 'travel',
    takesDirection: motion !== null && 'direction' in motion,
    defaultStrength: entry.defaultStrength,
    // A breath stays inside the person's outline; a skinned limb and the puppet go where their bones go.
    leavesMask: motion?.primitive === 'puppet' || (motion?.primitive === 'body' && motion.part !== 'breathe'),
  };
}

export const motionVocabulary: MotionVocabulary = {
  list: () => MOTION_WORDS.map(info),
  resolve(prompt: string, engine: EngineId): MotionResolution {
    const match = matchMotion(prompt);
    switch (match.kind) {
      case 'empty':
        return {
          ok: false,
          word: null,
          primitive: null,
          message: 'Type a motion word, such as sway, flow or zoom in.',
          suggestions: ['sway', 'flow', 'zoom in'],
        };
      case 'motion':
        return {
          ok: true,
          word: match.entry.word,
          primitive: match.motion.primitive,
          message: null,
          suggestions: [],
        };
      case 'diffusion':
        return engine === 'diffusion'
          ? { ok: true, word: match.entry.word, primitive: 'diffusion', message: null, suggestions: [] }
          : {
              ok: false,
              word: match.entry.word,
              primitive: 'diffusion',
              message: needsDiffusionMessage(prompt, match.entry),
              suggestions: [],
            };
      case 'unknown':
        // The diffusion engine takes open-domain prompts: anything goes.
        return engine === 'diffusion'
          ? { ok: true, word: null, primitive: 'diffusion', message: null, suggestions: [] }
          : {
              ok: false,
              word: null,
              primitive: null,
              message: unknownMessage(prompt, match.suggestions),
              suggestions: match.suggestions,
            };
    }
  },
};

/** Throws, naming the region, when a region's motion is not one the built-in engine can make. */
export function checkMotionRegions(regions: readonly RegionSpec[]): void {
  for (const region of regions) {
    const match = matchMotion(region.prompt);
    if (match.kind === 'motion') continue;
    if (match.kind === 'diffusion') {
      throw new StirError('NEEDS_DIFFUSION', needsDiffusionMessage(region.prompt, match.entry), {
        hint: 'Install a model pack and choose the diffusion engine, or pick a built-in motion.',
        details: { regionId: region.id, word: match.entry.word, suggestions: [] },
      });
    }
    const suggestions = match.kind === 'unknown' ? match.suggestions : ['sway', 'flow', 'zoom in'];
    throw new StirError(
      'UNKNOWN_MOTION',
      match.kind === 'empty' ? 'A region has no motion word.' : unknownMessage(region.prompt, suggestions),
      {
        hint: 'Type one of the listed motion words, or pick one from the suggestions.',
        details: { regionId: region.id, suggestions },
      },
    );
  }
}

/** The primitive a region's prompt resolves to, with the direction it should use; throws as checkMotionRegions. */
export function motionOf(region: RegionSpec): {
  word: string;
  motion: MotionPrimitive;
  direction: Degrees | null;
} {
  checkMotionRegions([region]);
  const match = matchMotion(region.prompt);
  if (match.kind !== 'motion') throw new StirError('INTERNAL', 'A checked motion did not resolve.');
  return { word: match.entry.word, motion: match.motion, direction: region.direction ?? match.direction };
}
