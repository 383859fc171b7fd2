import { describe, expect, it } from 'vitest';
import { History } from '../../../src/renderer/src/lib/editor/history.js';

describe('History', () => {
  it('undoes and redoes edits in order, with their labels', () => {
    const h = new History({ n: 0 });
    h.push({ n: 1 }, 'one');
    h.push({ n: 2 }, 'two');
    expect(h.undoLabel).toBe('two');
    expect(h.undo()).toEqual({ n: 1 });
    expect(h.undoLabel).toBe('one');
    expect(h.redoLabel).toBe('two');
    expect(h.undo()).toEqual({ n: 0 });
    expect(h.undo()).toBeNull();
    expect(h.redo()).toEqual({ n: 1 });
    expect(h.redo()).toEqual({ n: 2 });
    expect(h.redo()).toBeNull();
    expect(h.present).toEqual({ n: 2 });
  });

  it('forgets the redo branch after a new edit', () => {
    const h = new History('a');
    h.push('b', 'b');
    h.undo();
    h.push('c', 'c');
    expect(h.canRedo).toBe(false);
    expect(h.undo()).toBe('a');
  });

  it('merges a run of edits with the same key into one step, and seal() ends the run', () => {
    const h = new History(0);
    for (let v = 1; v <= 10; v++) h.push(v, 'strength', 'strength:r1');
    expect(h.depth).toBe(1);
    h.seal();
    h.push(11, 'strength', 'strength:r1');
    expect(h.depth).toBe(2);
    expect(h.undo()).toBe(10);
    expect(h.undo()).toBe(0);
  });

  it('does not merge into the state it returned to after undo', () => {
    const h = new History(0);
    h.push(1, 's', 'k');
    h.undo();
    h.push(2, 's', 'k');
    expect(h.depth).toBe(1);
    expect(h.undo()).toBe(0);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    const h = new History(0, 3);
    for (let v = 1; v <= 5; v++) h.push(v, String(v));
    expect(h.depth).toBe(3);
    expect([h.undo(), h.undo(), h.undo(), h.undo()]).toEqual([4, 3, 2, null]);
  });

  it('amend replaces the present without a step; reset starts over', () => {
    const h = new History('a');
    h.push('b', 'b');
    h.amend('B');
    expect(h.present).toBe('B');
    expect(h.undo()).toBe('a');
    expect(h.redo()).toBe('B');
    h.reset('z');
    expect([h.canUndo, h.canRedo, h.present]).toEqual([false, false, 'z']);
  });
});
