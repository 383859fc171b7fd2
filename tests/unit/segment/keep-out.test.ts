// keepDetectedOut (keep-out.ts): a click beside a detected person or thing gives a region without them,
// cut as the segmenter outlines them (or, when its outline ran into what is round them, as the skeleton's
// zone or the detector's box), a little grown; a click on them, a box or a refinement keeps the answer.
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../../src/engine/image/types.js';
import type { BodyPart, FoundPeople } from '../../../src/engine/people/types.js';
import { keepDetectedOut } from '../../../src/engine/segment/keep-out.js';
import type { SegmentOutput, SegmentRequest, Segmenter } from '../../../src/engine/segment/types.js';
import type { Mask } from '../../../src/shared/index.js';

const W = 200;
const H = 200;
const photo: RgbaImage = { width: W, height: H, data: new Uint8Array(W * H * 4) };

function rect(x0: number, y0: number, x1: number, y1: number): Mask {
  const data = new Uint8Array(W * H);
  for (let y = y0; y < y1; y++) data.fill(255, y * W + x0, y * W + x1);
  return { width: W, height: H, data };
}
const everything = rect(0, 0, W, H);
const at = (mask: Mask, x: number, y: number) => mask.data[y * W + x]!;
const count = (mask: Mask) => mask.data.reduce((n, v) => n + (v ? 1 : 0), 0);

// A person standing at x 80-120, y 20-170: shoulders, hips, knees, ankles and the nose.
const joints: [BodyPart, number, number][] = [
  ['nose', 100, 30],
  ['leftShoulder', 85, 50],
  ['rightShoulder', 115, 50],
  ['leftHip', 90, 100],
  ['rightHip', 110, 100],
  ['leftKnee', 88, 135],
  ['rightKnee', 112, 135],
  ['leftAnkle', 84, 165],
  ['rightAnkle', 116, 165],
];
const person = rect(80, 20, 121, 171);
const found = (objects: FoundPeople['objects'] = []): FoundPeople => ({
  width: W,
  height: H,
  faces: [],
  bodies: [
    {
      box: [85, 30, 30, 135],
      score: 0.9,
      keypoints: joints.map(([part, x, y]) => ({ part, x, y, score: 0.9 })),
    },
  ],
  objects,
  millis: 0,
});

/** A segmenter that outlines what a box asks for with `outline`, and answers a click with everything. */
function stub(outline: (request: SegmentRequest) => Mask): Segmenter & { asked: SegmentRequest[] } {
  const asked: SegmentRequest[] = [];
  return {
    id: 'classic',
    asked,
    async segment(_photo, request) {
      asked.push(request);
      return { mask: request.box ? outline(request) : everything, score: 1 };
    },
    forget() {},
    async dispose() {},
  };
}

const click = (x: number, y: number): SegmentRequest => ({
  clicks: [{ x, y, positive: true }],
  box: null,
  previous: null,
  photoKey: 'p',
});
const answer: SegmentOutput = { mask: everything, score: 1 };

describe('keeping detected people and things out of a click beside them', () => {
  it('cuts the person as the segmenter outlines them, a little grown, and keeps the rest', async () => {
    const segmenter = stub(() => person);
    const kept = await keepDetectedOut(answer, found(), photo, click(20, 100), segmenter);
    expect(segmenter.asked).toHaveLength(1);
    expect(segmenter.asked[0]!.box).not.toBeNull();
    for (const [, x, y] of joints) expect(at(kept.mask, x, y)).toBe(0);
    expect(at(kept.mask, 79, 100)).toBe(0); // grown by 0.6% of the long side: a pixel or two
    expect(at(kept.mask, 76, 100)).toBe(255);
    expect(at(kept.mask, 20, 100)).toBe(255);
    expect(count(kept.mask)).toBeGreaterThan(W * H - 48 * 160);
  });

  it('outlines a thing once: a second click beside it reuses the cut', async () => {
    const segmenter = stub(() => person);
    const people = found();
    await keepDetectedOut(answer, people, photo, click(20, 100), segmenter);
    const again = await keepDetectedOut(answer, people, photo, click(180, 60), segmenter);
    expect(segmenter.asked).toHaveLength(1);
    expect(at(again.mask, 100, 75)).toBe(0);
  });

  it("cuts the skeleton's zone when the outline fills the box (it ran into what is round them)", async () => {
    const segmenter = stub((request) => {
      const { x0, y0, x1, y1 } = request.box!;
      return rect(Math.floor(x0), Math.floor(y0), Math.ceil(x1), Math.ceil(y1));
    });
    const kept = await keepDetectedOut(answer, found(), photo, click(20, 100), segmenter);
    expect(at(kept.mask, 100, 75)).toBe(0); // the torso
    expect(at(kept.mask, 86, 150)).toBe(0); // a shin
    expect(at(kept.mask, 100, 160)).toBe(255); // between the shins: not the person's
  });

  it('cuts a detected thing the answer covers, and not one it barely touches', async () => {
    const board = rect(130, 160, 190, 180);
    const segmenter = stub((request) => (request.box!.x0 > 120 ? board : person));
    const things = found([
      { label: 'surfboard', score: 0.5, box: [130, 160, 60, 20] },
      { label: 'kite', score: 0.5, box: [0, 0, 30, 30] },
    ]);
    const sea = rect(0, 40, W, H);
    const kept = await keepDetectedOut({ mask: sea, score: 1 }, things, photo, click(20, 100), segmenter);
    expect(at(kept.mask, 160, 170)).toBe(0);
    expect(at(kept.mask, 160, 150)).toBe(255);
    // The kite's box lies mostly above the sea: the segmenter was asked about the person and the board.
    expect(segmenter.asked).toHaveLength(2);
    expect(segmenter.asked.every((r) => r.box!.x0 > 30)).toBe(true);
  });

  it('cuts a person MoveNet did not find as their box, without asking the segmenter', async () => {
    const segmenter = stub(() => person);
    const bather = found([{ label: 'person', score: 0.6, box: [130, 60, 40, 120] }]);
    const kept = await keepDetectedOut(answer, { ...bather, bodies: [] }, photo, click(20, 100), segmenter);
    expect(segmenter.asked).toHaveLength(0);
    expect(at(kept.mask, 131, 175)).toBe(0); // the box's corner: her feet may be anywhere in it
    expect(at(kept.mask, 150, 120)).toBe(0);
    expect(at(kept.mask, 178, 120)).toBe(255);
  });

  it('leaves the answer as it is for a click on the person, on a thing, for a box or a refinement', async () => {
    const segmenter = stub(() => person);
    const things = found([{ label: 'surfboard', score: 0.5, box: [130, 160, 60, 20] }]);
    const onPerson = await keepDetectedOut(answer, found(), photo, click(100, 75), segmenter);
    expect(onPerson).toBe(answer);
    const onBoard = await keepDetectedOut(answer, things, photo, click(150, 170), segmenter);
    expect(at(onBoard.mask, 150, 170)).toBe(255);
    const boxed = await keepDetectedOut(
      answer,
      found(),
      photo,
      { ...click(20, 100), box: { x0: 0, y0: 0, x1: 199, y1: 199 } },
      segmenter,
    );
    expect(boxed).toBe(answer);
    const refined = await keepDetectedOut(
      answer,
      found(),
      photo,
      { ...click(20, 100), previous: everything },
      segmenter,
    );
    expect(refined).toBe(answer);
  });

  it('keeps a person whose grown outline would take the click itself', async () => {
    // A click a pixel beside the person's outline (not on their skeleton): the person stays in.
    const segmenter = stub(() => person);
    const kept = await keepDetectedOut(answer, found(), photo, click(79, 100), segmenter);
    expect(count(kept.mask)).toBe(W * H);
  });
});
