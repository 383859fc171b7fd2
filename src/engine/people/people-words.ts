// The motion words that belong to people (issue 12, points 5 and 7): what a face or a person can do, in
// the order they are offered. Each is listed with the phrasings people type; a word counts as built when
// one of its phrasings is itself a word or alias of the lexicon that the built-in engine makes. A longer
// phrase that only contains a built word does not count: "wave the hand" is not the grass's "wave".
import type { EngineId, PeoplePart } from '../../shared/index.js';
import { matchMotion } from '../motion/lexicon.js';

export interface PeopleWord {
  /** The name shown (and typed, when built). */
  name: string;
  /** Phrasings that may name it in the lexicon, the likeliest first. */
  phrasings: readonly string[];
  /** What it moves: a face, or the whole person. */
  part: PeoplePart;
}

export const PEOPLE_WORDS: readonly PeopleWord[] = [
  { name: 'smile', phrasings: ['smile'], part: 'face' },
  { name: 'blink', phrasings: ['blink'], part: 'face' },
  { name: 'nod', phrasings: ['nod'], part: 'face' },
  { name: 'shake the head', phrasings: ['shake the head', 'shake head'], part: 'face' },
  { name: 'look left', phrasings: ['look left'], part: 'face' },
  { name: 'look right', phrasings: ['look right'], part: 'face' },
  { name: 'raise the eyebrows', phrasings: ['raise the eyebrows', 'raise eyebrows'], part: 'face' },
  { name: 'breathe', phrasings: ['breathe'], part: 'person' },
  { name: 'wave', phrasings: ['wave the hand', 'wave a hand', 'wave hello'], part: 'person' },
  {
    name: 'raise an arm',
    phrasings: ['raise an arm', 'raise the arm', 'raise arm', 'raise the hand'],
    part: 'person',
  },
  { name: 'puppet', phrasings: ['puppet', 'pose'], part: 'person' },
];

/**
 * The lexicon word a people word resolves to with this engine, or null when it is not built: the built-in
 * engine needs a phrasing that is a built-in word (or alias); the diffusion engine also takes the lexicon's
 * words that only it can make.
 */
export function builtWord(word: PeopleWord, engine: EngineId): string | null {
  for (const phrase of word.phrasings) {
    const match = matchMotion(phrase);
    if (match.kind !== 'motion' && match.kind !== 'diffusion') continue;
    const named = match.entry.word === phrase || match.entry.aliases.includes(phrase);
    if (!named) continue;
    if (match.kind === 'motion' || engine === 'diffusion') return match.entry.word;
  }
  return null;
}

/**
 * The words to offer for a region that is a face or a person: a face's own words for a face; the person's
 * words first and then the face's for a person. Each as the lexicon names it, once.
 */
export function peopleWordsFor(part: PeoplePart, engine: EngineId): string[] {
  const order = part === 'face' ? ['face'] : ['person', 'face'];
  const out: string[] = [];
  for (const wanted of order) {
    for (const word of PEOPLE_WORDS) {
      if (word.part !== wanted) continue;
      const built = builtWord(word, engine);
      if (built !== null && !out.includes(built)) out.push(built);
    }
  }
  return out;
}

/** The word a new face region starts with (a smile), or a person region (breathing), when built. */
export function defaultPeopleWord(part: PeoplePart, engine: EngineId): string | null {
  const name = part === 'face' ? 'smile' : 'breathe';
  const word = PEOPLE_WORDS.find((w) => w.name === name)!;
  return builtWord(word, engine);
}
