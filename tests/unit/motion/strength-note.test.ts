// What a person is told when a region cannot move at the strength asked (strength-note.ts): nothing within
// 15% either way; a looping travel's slowest speed with what to change; a held swing's widest.
import { describe, expect, it } from 'vitest';
import { notesOf, strengthNote } from '../../../src/engine/motion/strength-note.js';

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
