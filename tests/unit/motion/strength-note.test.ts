// What a person is told when a region cannot move as asked (strength-note.ts): nothing within 15% either
// way; a looping travel's slowest speed with what to change; a held swing's widest; a breath held at a
// breath's size; a motion in place made quicker than its word to stay inside its band.
import { describe, expect, it } from 'vitest';
import { rasterize } from '../../../src/engine/eval/shapes.js';
import { fitLongSide } from '../../../src/engine/image/types.js';
import { preparePlan } from '../../../src/engine/motion/prepare.js';
import { breathNote, notesOf, strengthNote, tempoNote } from '../../../src/engine/motion/strength-note.js';
import { MOTION_WORDS } from '../../../src/engine/motion/words.js';
import { loadPhoto } from '../../helpers/photos.js';
import { regionSpec } from '../../helpers/region-spec.js';

const base = { strength: 2, fieldStrength: 2, primitive: 'sway', loops: true, seconds: 3 };

describe('strength notes', () => {
  it('says nothing when the region moves at about the strength asked, or not at all', () => {
    for (const fieldStrength of [2, 1.75, 2.29]) expect(strengthNote({ ...base, fieldStrength })).toBeNull();
    expect(strengthNote({ ...base, strength: 0, fieldStrength: 0 })).toBeNull();
  });

  it('tells a looping travel’s slowest speed and what to change', () => {
    const note = strengthNote({ ...base, primitive: 'travel', strength: 1, fieldStrength: 8.34 });
    expect(note).toBe(
      'Moves at strength 8.3, not 1.0: in a 3.0 s loop it has to leave the picture and come back, which ' +
        'takes at least that. For a slower one, choose Once or Ping-pong, or a longer clip.',
    );
    // Played once it is not held by the loop: another reason.
    expect(strengthNote({ ...base, primitive: 'travel', loops: false, fieldStrength: 4 })).toContain(
      'the slowest this motion goes',
    );
  });

  it('tells a swing held by its region that it is as wide as the region allows', () => {
    const note = strengthNote({ ...base, primitive: 'wave', strength: 8, fieldStrength: 5.6 });
    expect(note).toMatch(/^Moves at strength 5\.6, not 8\.0: that is as far as it can swing/);
  });

  it('collects the notes of the regions that have one', () => {
    expect(
      notesOf([
        { id: 'a', note: null },
        { id: 'b', note: 'Moves at strength 2.0, not 1.0: x' },
      ]),
    ).toEqual([{ regionId: 'b', note: 'Moves at strength 2.0, not 1.0: x' }]);
  });
});

describe('breath notes', () => {
  it('tell a breath held at its widest how far it swells, how far it was asked to, and what moves more', () => {
    expect(breathNote({ largest: 0.0233, asked: 0.0932 }, 0.4, 0.1)).toBe(
      'Moves at strength 0.10, not 0.40: a breath swells this region by at most 2.3%, and at strength 0.40 it ' +
        "would swell by 9.3%. For more movement, choose 'bob' or 'float'.",
    );
    // The words it offers are words the person can type.
    for (const word of ['bob', 'float']) expect(MOTION_WORDS.map((w) => w.word)).toContain(word);
    // Held only a little below what was asked (within 15%): nothing to tell.
    expect(breathNote({ largest: 0.0233, asked: 0.025 }, 0.16, 0.15)).toBeNull();
  });
});

describe('tempo notes', () => {
  it('tells a motion in place made quicker than its word to stay inside its band, and what to change', () => {
    expect(tempoNote({ hz: 1.333, naturalHz: 0.333 }, 0.4)).toBe(
      "Moves at 1.33 cycles a second, faster than the word's 0.33: at strength 0.4 a slower swing would carry it " +
        'past the edge of its region. For a calmer one, lower the strength.',
    );
  });

  it('is said of chelsea’s cat beating like a heart at 0.8, and not at 0.4, where its pace fits', async () => {
    const { image: photo } = await loadPhoto('chelsea.png');
    const shape = { kind: 'ellipse', cx: 0.5, cy: 0.5, rx: 0.3, ry: 0.38 } as const;
    const noteAt = async (prompt: string, strength: number) => {
      const { regions } = await preparePlan(
        {
          photo,
          regions: [
            regionSpec({
              id: 'cat',
              mask: rasterize(shape, photo.width, photo.height),
              prompt,
              strength,
              seed: 1,
            }),
          ],
          timing: { seconds: 3, fps: 24, loop: 'loop' },
          size: fitLongSide(photo.width, photo.height, 512),
        },
        { signal: new AbortController().signal, progress: () => undefined },
      );
      return regions[0]!.note;
    };
    expect(await noteAt('pulse', 0.8)).toMatch(
      /^Moves at 2\.00 cycles a second, faster than the word's 1\.00/,
    );
    expect(await noteAt('pulse', 0.4)).toBeNull();
    // A breath is never made quicker than a breath (breath.test.ts): it is held at a breath's size instead.
    expect(await noteAt('breathe', 0.4)).toMatch(/^Moves at strength 0\.10, not 0\.40: a breath swells/);
    expect(await noteAt('breathe', 0.05)).toBeNull();
  });
});
