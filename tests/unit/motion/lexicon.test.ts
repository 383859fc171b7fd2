import { describe, expect, it } from 'vitest';
import { MotionInfoSchema, StirError } from '../../../src/shared/index.js';
import { checkMotionRegions, matchMotion, motionVocabulary } from '../../../src/engine/motion/lexicon.js';
import type { RegionSpec } from '../../../src/engine/render/types.js';

function region(prompt: string): RegionSpec {
  return {
    id: 'r1',
    mask: { width: 1, height: 1, data: new Uint8Array([255]) },
    prompt,
    strength: 2,
    direction: null,
    seed: 0,
    start: 0,
    end: null,
    pose: null,
  };
}

function thrown(prompt: string): StirError {
  try {
    checkMotionRegions([region(prompt)]);
  } catch (caught) {
    if (caught instanceof StirError) return caught;
    throw caught;
  }
  throw new Error(`"${prompt}" was accepted`);
}

describe('motion lexicon', () => {
  it('says which motions leave their mask: skinned limbs and the puppet, not a breath or a sway', () => {
    const leaves = (word: string) => motionVocabulary.list().find((info) => info.word === word)?.leavesMask;
    expect(leaves('wave the hand')).toBe(true);
    expect(leaves('raise the left arm')).toBe(true);
    expect(leaves('pose')).toBe(true);
    expect(leaves('breathe')).toBe(false);
    expect(leaves('sway')).toBe(false);
    expect(leaves('smile')).toBe(false);
  });

  it('has at least 40 built-in words and phrases, each a valid MotionInfo', () => {
    const list = motionVocabulary.list();
    for (const info of list) MotionInfoSchema.parse(info);
    const builtIn = list.filter((info) => info.engine === 'motion');
    expect(builtIn.length).toBeGreaterThanOrEqual(40);
    const words = builtIn.map((info) => info.word);
    for (const word of [
      'flow',
      'stream',
      'pour',
      'ripple',
      'shimmer',
      'sway',
      'wave',
      'flutter',
      'drift',
      'float',
      'rise',
      'fall',
      'snow',
      'rain',
      'spin',
      'rotate',
      'swing',
      'bob',
      'bounce',
      'shake',
      'tremble',
      'pulse',
      'breathe',
      'zoom in',
      'zoom out',
      'push in',
      'pan',
      'blow',
      'storm',
      'launch',
      'fly away',
      'drive forward',
    ]) {
      expect(words).toContain(word);
    }
    expect(new Set(words).size).toBe(words.length);
  });

  it.each([
    ['sway', 'sway'],
    ['Swaying', 'sway'],
    ['SWAYS', 'sway'],
    ['swya', 'sway'],
    ['flwo', 'flow'],
    ['flows', 'flow'],
    ['rotating', 'rotate'],
    ['bobbing', 'bob'],
    ['Zooming In', 'zoom in'],
    ['zom in', 'zoom in'],
    ['flies away', 'fly away'],
    ['make the flag wave gently', 'flag'],
    ['steam rising from the cup', 'steam'],
    ['tremblign', 'tremble'],
    ['snowing', 'snow'],
    ['heartbeat', 'pulse'],
    ['spinning clockwise', 'spin clockwise'],
  ])('resolves "%s" to %s', (prompt, word) => {
    const resolution = motionVocabulary.resolve(prompt, 'motion');
    expect(resolution).toMatchObject({ ok: true, word, message: null });
  });

  it('takes a direction word from the phrase', () => {
    expect(matchMotion('flow down')).toMatchObject({ kind: 'motion', direction: 270 });
    expect(matchMotion('drift left')).toMatchObject({ kind: 'motion', direction: 180 });
    expect(matchMotion('pan left')).toMatchObject({ kind: 'motion', direction: null });
  });

  it('names the closest words for an unknown one', () => {
    const resolution = motionVocabulary.resolve('xylophone', 'motion');
    expect(resolution.ok).toBe(false);
    expect(resolution.suggestions.length).toBeGreaterThan(0);
    for (const word of resolution.suggestions) expect(resolution.message).toContain(word);
    const error = thrown('whooshify');
    expect(error.code).toBe('UNKNOWN_MOTION');
    expect(error.details).toMatchObject({ regionId: 'r1' });
    expect((error.details?.suggestions as string[]).length).toBeGreaterThan(0);
  });

  it('recognises living movements and sends them to the diffusion engine', () => {
    for (const prompt of ['winking', 'dance', 'turn her head', 'yawn']) {
      const error = thrown(prompt);
      expect(error.code).toBe('NEEDS_DIFFUSION');
      expect(error.message).toMatch(/diffusion engine/);
      expect(error.details).toMatchObject({ regionId: 'r1' });
      expect(motionVocabulary.resolve(prompt, 'diffusion').ok).toBe(true);
    }
    // "shake" alone is ours.
    expect(() => checkMotionRegions([region('shake')])).not.toThrow();
  });

  it('answers the face words with face motions of the built-in engine', () => {
    expect(matchMotion('Blinking')).toMatchObject({
      kind: 'motion',
      motion: { primitive: 'face', part: 'blink' },
    });
    expect(matchMotion('nod the head')).toMatchObject({ motion: { primitive: 'face', part: 'nod' } });
    expect(matchMotion('shake head')).toMatchObject({ motion: { primitive: 'face', part: 'shake' } });
    expect(matchMotion('look left')).toMatchObject({ motion: { part: 'look', direction: 180 } });
    expect(matchMotion('look right')).toMatchObject({ motion: { part: 'look', direction: 0 } });
    expect(matchMotion('raise eyebrows')).toMatchObject({ motion: { primitive: 'face', part: 'brows' } });
    expect(matchMotion('look up')).toMatchObject({ kind: 'diffusion' });
  });

  it('lets the diffusion engine take any prompt, and refuses an empty one', () => {
    expect(motionVocabulary.resolve('a dragon breathes out glitter', 'diffusion').ok).toBe(true);
    expect(motionVocabulary.resolve('  ', 'motion').ok).toBe(false);
    expect(thrown('the').code).toBe('UNKNOWN_MOTION');
  });
});
