import { describe, expect, it } from 'vitest';
import { parseRegionSpec } from '../../../src/cli/region-spec.js';

describe('--region parsing', () => {
  it('reads a click, a motion and a strength', () => {
    const region = parseRegionSpec('240,120:sway:3');
    expect(region.clicks).toEqual([{ x: 240, y: 120, positive: true }]);
    expect(region.prompt).toBe('sway');
    expect(region.strength).toBe(3);
    expect(region.direction).toBeNull();
  });

  it('reads phrases, several clicks, negative clicks and options', () => {
    const region = parseRegionSpec(
      '10,20;30,40;!50,60:flap the wings:2.5:dir=90:tempo=0.8:start=1:end=2.5:seed=7',
    );
    expect(region.clicks).toEqual([
      { x: 10, y: 20, positive: true },
      { x: 30, y: 40, positive: true },
      { x: 50, y: 60, positive: false },
    ]);
    expect(region).toMatchObject({
      prompt: 'flap the wings',
      strength: 2.5,
      direction: 90,
      tempo: 0.8,
      start: 1,
      end: 2.5,
      seed: 7,
    });
  });

  it('"all" is the whole photo', () => {
    expect(parseRegionSpec('all:zoom in').clicks).toBeNull();
  });

  it.each([
    ['240:sway', /not a click/],
    ['a,b:sway', /x "a" is not a number/],
    ['240,120', /a click and a motion word are needed/],
    ['!240,120:sway', /at least one click must be positive/],
    ['240,120:sway:99', /strength must be between/],
    ['240,120:sway:speed=2', /unknown option "speed"/],
    ['240,120:sway:tempo=40', /tempo must be between/],
  ])('refuses %s', (text, message) => {
    expect(() => parseRegionSpec(text)).toThrow(message);
  });
});
