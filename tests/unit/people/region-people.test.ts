// People-aware motion words (issue 12, point 7) through the real service on the astronaut: a click on her
// face makes a face region that starts smiling and is offered the face words the engine makes; a click on
// her suit makes a person region that starts breathing and is offered the person's words and the face's;
// the sky behind her is neither. Every word offered is one the engine resolves; with the diffusion engine
// the words only a model makes (blink) are offered too. The people words eval and the editor share:
// a phrase only containing a built word ("wave the hand" holds the grass's "wave") is not built.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHandle } from '../../../src/engine/create-engine.js';
import { builtWord, peopleWordsFor, PEOPLE_WORDS } from '../../../src/engine/people/people-words.js';
import { parseParams } from '../../../src/shared/rpc/validate.js';
import { photoPath } from '../../helpers/photos.js';

let dir: string;
let engine: EngineHandle;
let docId: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stir-region-people-'));
  engine = createEngine({ dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), workers: 1 });
  const doc = await engine.service.openPhoto(
    parseParams('openPhoto', { source: { kind: 'path', path: photoPath('astronaut.png') } }),
  );
  docId = doc.docId;
}, 120_000);

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** A click as the editor makes it: segment, then a region with the suggested word. */
async function clickRegion(x: number, y: number): Promise<{ regionId: string; prompt: string }> {
  const { service } = engine;
  const result = await service.segment(parseParams('segment', { docId, clicks: [{ x, y, positive: true }] }));
  const region = await service.createRegion(
    parseParams('createRegion', {
      docId,
      region: { mask: result.mask, motion: { prompt: result.suggestion.prompt } },
    }),
  );
  return { regionId: region.id, prompt: region.motion.prompt };
}

async function resolvesBuiltIn(word: string): Promise<boolean> {
  const resolution = await engine.service.resolveMotion(
    parseParams('resolveMotion', { prompt: word, engine: 'motion' }),
  );
  return resolution.ok;
}

describe('people words for a region', () => {
  it('a click on her face: a face region that starts smiling, offered the face words', async () => {
    const { regionId, prompt } = await clickRegion(225, 110);
    expect(prompt).toBe('smile');
    const people = await engine.service.regionPeople(parseParams('regionPeople', { docId, regionId }));
    expect(people.part).toBe('face');
    expect(people.suggested).toBe('smile');
    expect(people.words[0]).toBe('smile');
    expect(people.words).not.toContain('breathe');
    for (const word of people.words) expect(await resolvesBuiltIn(word)).toBe(true);
  }, 120_000);

  it('a click on her suit: a person region that starts breathing, offered body and face words', async () => {
    const { regionId, prompt } = await clickRegion(250, 400);
    expect(prompt).toBe('breathe');
    const people = await engine.service.regionPeople(parseParams('regionPeople', { docId, regionId }));
    expect(people.part).toBe('person');
    expect(people.suggested).toBe('breathe');
    expect(people.words[0]).toBe('breathe');
    expect(people.words).toContain('smile');
    for (const word of people.words) expect(await resolvesBuiltIn(word)).toBe(true);
  }, 120_000);

  it('the backdrop behind her is neither', async () => {
    const mask = new Uint8Array(512 * 512);
    for (let y = 20; y < 90; y++) for (let x = 380; x < 500; x++) mask[y * 512 + x] = 255;
    const region = await engine.service.createRegion(
      parseParams('createRegion', {
        docId,
        region: { mask: { width: 512, height: 512, data: mask }, motion: { prompt: 'drift' } },
      }),
    );
    const people = await engine.service.regionPeople(
      parseParams('regionPeople', { docId, regionId: region.id }),
    );
    expect(people).toEqual({ part: null, words: [], suggested: null });
  });
});

describe('which people words are built', () => {
  it('takes a phrasing only when it is itself a word of the lexicon', () => {
    const word = (name: string) => PEOPLE_WORDS.find((w) => w.name === name)!;
    expect(builtWord(word('smile'), 'motion')).toBe('smile');
    expect(builtWord(word('breathe'), 'motion')).toBe('breathe');
    // The lexicon's "wave" is the grass's; "wave the hand" only contains it.
    const wave = builtWord(word('wave'), 'motion');
    if (wave !== null) expect(wave).not.toBe('wave');
  });

  it('offers the words only a model makes to the diffusion engine, and not to the built-in one', () => {
    const diffusion = peopleWordsFor('face', 'diffusion');
    expect(diffusion).toEqual(expect.arrayContaining(['smile', 'blink', 'nod']));
    const builtIn = peopleWordsFor('face', 'motion');
    for (const word of builtIn) expect(diffusion).toContain(word);
    expect(builtIn.length).toBeLessThanOrEqual(diffusion.length);
  });
});
