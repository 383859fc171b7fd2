import { describe, expect, it } from 'vitest';
import {
  addGuideFlag,
  guideOutsidePhoto,
  parseRegionSpec,
  scaleRegion,
} from '../../../src/cli/region-spec.js';
import { RegionMotionSchema } from '../../../src/shared/index.js';

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
    ['240,120:flow:path=10,20', /needs at least two points/],
    ['240,120:flow:path=10,20;x,5', /x "x" is not a number/],
    ['240,120:flow:anchor=10', /not an anchor X,Y/],
    ['240,120:flow:freeze=10,20', /not a freeze disc X,Y,R/],
    ['240,120:flow:freeze=10,20,0', /freeze radius 0 must be/],
  ])('refuses %s', (text, message) => {
    expect(() => parseRegionSpec(text)).toThrow(message);
  });
});

describe('motion paths, anchors and freeze discs', () => {
  it('reads paths split by "|", anchors and freeze discs, in photo pixels, as the model takes them', () => {
    const region = parseRegionSpec(
      '240,120:flow:3:path=10,20;30,40;50,45|60,60;80,60:anchor=100,110|120.5,130:freeze=5,6,7',
    );
    expect(region.paths).toEqual([
      [
        { x: 10, y: 20 },
        { x: 30, y: 40 },
        { x: 50, y: 45 },
      ],
      [
        { x: 60, y: 60 },
        { x: 80, y: 60 },
      ],
    ]);
    expect(region.anchors).toEqual([
      { x: 100, y: 110 },
      { x: 120.5, y: 130 },
    ]);
    expect(region.freeze).toEqual([{ radius: 7, erase: false, points: [{ x: 5, y: 6 }] }]);
    expect(region.strength).toBe(3);
    const motion = RegionMotionSchema.parse({
      prompt: region.prompt,
      paths: region.paths,
      anchors: region.anchors,
      freeze: region.freeze,
    });
    expect(motion.paths).toEqual(region.paths);
  });

  it('has none by default', () => {
    const region = parseRegionSpec('240,120:flow');
    expect([region.paths, region.anchors, region.freeze]).toEqual([[], [], []]);
  });

  it('adds --path and --anchor to the region given before them, and refuses them before any region', () => {
    const region = parseRegionSpec('240,120:flow');
    addGuideFlag(region, 'path', '1,2;3,4');
    addGuideFlag(region, 'anchor', '5,6');
    expect(region.paths).toEqual([
      [
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ],
    ]);
    expect(region.anchors).toEqual([{ x: 5, y: 6 }]);
    expect(() => addGuideFlag(undefined, 'anchor', '5,6')).toThrow(/comes before any --region/);
    expect(() => addGuideFlag(region, 'path', '1,2')).toThrow(/at least two points/);
  });

  it('names a guide point outside the photo', () => {
    expect(guideOutsidePhoto(parseRegionSpec('1,1:flow:path=1,1;200,1'), 100, 100)).toBe(
      'The path point 200,1',
    );
    expect(guideOutsidePhoto(parseRegionSpec('1,1:flow:anchor=5,-1'), 100, 100)).toBe('The anchor 5,-1');
    expect(guideOutsidePhoto(parseRegionSpec('1,1:flow:path=1,1;99,99:anchor=5,5'), 100, 100)).toBeNull();
  });

  it('refuses more paths than a region takes', () => {
    const many = Array.from({ length: 9 }, () => '1,1;2,2').join('|');
    expect(() => parseRegionSpec(`1,1:flow:path=${many}`)).toThrow(/at most 8 paths/);
  });
});

describe('coordinates on a photo that opened scaled down', () => {
  it('moves clicks, paths, anchors and freeze discs onto the scaled photo', () => {
    const region = parseRegionSpec(
      '1000,500;!2000,400:flow:path=0,0;4000,2000:anchor=800,600:freeze=100,200,40',
    );
    const half = scaleRegion(region, 0.5);
    expect(half.clicks).toEqual([
      { x: 500, y: 250, positive: true },
      { x: 1000, y: 200, positive: false },
    ]);
    expect(half.paths).toEqual([
      [
        { x: 0, y: 0 },
        { x: 2000, y: 1000 },
      ],
    ]);
    expect(half.anchors).toEqual([{ x: 400, y: 300 }]);
    expect(half.freeze[0]).toMatchObject({ radius: 20, points: [{ x: 50, y: 100 }] });
    expect(half.prompt).toBe('flow');
    expect(scaleRegion(region, 1)).toBe(region);
  });
});
