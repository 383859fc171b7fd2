// People on real photos (issue 12, points 1-3): Human's models, loaded from the npm package on the wasm
// backend in a worker thread, find the astronaut's face (478-point mesh with iris) and body, and nothing
// on the photos without people; a click on her face gives her face, a click on her suit gives her, both
// measured by IoU against outlines drawn by hand, against the classic segmenter's answer to the same click;
// "Fit to person" places OpenPose's joints on her.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '../../../src/engine/image/decode.js';
import { createMotionEngine } from '../../../src/engine/motion/index.js';
import { createPeopleDetector } from '../../../src/engine/people/detector.js';
import { openPoseJoints } from '../../../src/engine/people/fit-pose.js';
import { eyeOpening, LEFT_EYE, meshPoint, RIGHT_EYE } from '../../../src/engine/people/landmarks.js';
import { faceMask, fillPolygon, hitPerson, selectPerson } from '../../../src/engine/people/select.js';
import type { FoundPeople } from '../../../src/engine/people/types.js';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import { fillHoles } from '../../../src/engine/segment/classic/mask-ops.js';
import { createSegmenterProvider } from '../../../src/engine/segment/provider.js';
import { StirError, type Mask } from '../../../src/shared/index.js';
import { loadPhoto, PHOTO_NAMES, PHOTOS_DIR } from '../../helpers/photos.js';
import { regionSpec } from '../../helpers/region-spec.js';
import { ASTRONAUT_FACE, ASTRONAUT_PERSON } from './outlines.js';

const CAMERAMAN = `${PHOTOS_DIR}people/cameraman.jpg`;

const detector = createPeopleDetector();
afterAll(() => detector.dispose());

function iou(a: Mask, b: Mask): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]! > 0;
    const y = b.data[i]! > 0;
    if (x && y) both++;
    if (x || y) either++;
  }
  return both / Math.max(1, either);
}

describe('people on the astronaut', () => {
  let found: FoundPeople;
  beforeAll(async () => {
    found = await detector.find((await loadPhoto('astronaut.png')).image);
  }, 120_000);

  it('finds one face with its mesh and irises where her eyes are', () => {
    expect(found.faces).toHaveLength(1);
    const face = found.faces[0]!;
    expect(face.mesh).toHaveLength(478 * 2);
    // Her right eye is on the image's left, about (204, 100); her left about (246, 101).
    const [rx, ry] = meshPoint(face, RIGHT_EYE.iris[0]!);
    const [lx, ly] = meshPoint(face, LEFT_EYE.iris[0]!);
    expect(Math.hypot(rx - 204, ry - 100)).toBeLessThan(8);
    expect(Math.hypot(lx - 246, ly - 101)).toBeLessThan(8);
    // Open eyes: a few pixels between the lids.
    expect(eyeOpening(face, RIGHT_EYE)).toBeGreaterThan(3);
    expect(eyeOpening(face, LEFT_EYE)).toBeGreaterThan(3);
  });

  it('finds her body, and fits OpenPose joints with the neck between the shoulders', () => {
    expect(found.bodies).toHaveLength(1);
    const joints = openPoseJoints(found.bodies[0]!);
    expect(joints).toHaveLength(18);
    const [nose, neck, rShoulder, , , lShoulder] = joints;
    expect(nose && Math.hypot(nose.x - 222, nose.y - 122)).toBeLessThan(15);
    // Her right shoulder is on the image's left.
    expect(rShoulder!.x).toBeLessThan(lShoulder!.x);
    expect(neck!.x).toBeCloseTo((rShoulder!.x + lShoulder!.x) / 2, 5);
    expect(neck!.y).toBeCloseTo((rShoulder!.y + lShoulder!.y) / 2, 5);
  });

  it('tells a click on the face from a click on the suit and one on the flag', () => {
    expect(hitPerson(found, 222, 130)?.kind).toBe('face');
    expect(hitPerson(found, 110, 380)?.kind).toBe('person');
    expect(hitPerson(found, 230, 40)?.kind).toBe('person'); // her hair
    expect(hitPerson(found, 25, 150)).toBeNull(); // the flag
    expect(hitPerson(found, 420, 150)).toBeNull(); // the shuttle model
  });

  it('selects her and her face better than the classic segmenter does (IoU against hand outlines)', async () => {
    const { image } = await loadPhoto('astronaut.png');
    const classic = new ClassicSegmenter();
    const withPeople = await createSegmenterProvider({ classic, people: detector }).get();
    const person = fillPolygon(ASTRONAUT_PERSON, 512, 512);
    const face = fillPolygon(ASTRONAUT_FACE, 512, 512);
    const rows: Record<string, { people: number; classic: number }> = {};
    for (const [name, truth, x, y] of [
      ['person (click on the suit)', person, 110, 380],
      ['face (click on the cheek)', face, 200, 130],
    ] as const) {
      const request = {
        clicks: [{ x, y, positive: true }],
        box: null,
        previous: null,
        photoKey: 'astronaut',
      };
      const ours = await withPeople.segment(image, request);
      const plain = await classic.segment(image, request);
      expect(ours.segmenter).toBe('people');
      rows[name] = { people: iou(ours.mask, truth), classic: iou(plain.mask, truth) };
    }
    console.table(rows);
    expect(rows['face (click on the cheek)']!.people).toBeGreaterThan(0.8);
    // Measured 0.77 with her hair (asked for inside her head's box; 0.70 without it) against 0.48 for the
    // classic segmenter.
    expect(rows['person (click on the suit)']!.people).toBeGreaterThan(0.74);
    for (const row of Object.values(rows)) expect(row.people).toBeGreaterThan(row.classic);
  }, 120_000);

  it('outlines her face or her whole person on hover once detection is done, as a click would select', async () => {
    const { image } = await loadPhoto('astronaut.png');
    const classic = new ClassicSegmenter();
    const provider = createSegmenterProvider({ classic, people: detector });
    await detector.find(image); // done: the hover peeks at it and never waits for it
    const atSize = (truth: Mask, size: Mask): Mask => {
      const data = new Uint8Array(size.width * size.height);
      for (let y = 0; y < size.height; y++)
        for (let x = 0; x < size.width; x++)
          data[y * size.width + x] =
            truth.data[
              Math.floor((y * truth.height) / size.height) * truth.width +
                Math.floor((x * truth.width) / size.width)
            ]!;
      return { width: size.width, height: size.height, data };
    };
    const rows: Record<string, { people: number; classic: number }> = {};
    for (const [name, outline, x, y] of [
      ['person (hover on the suit)', ASTRONAUT_PERSON, 110, 380],
      ['face (hover on the cheek)', ASTRONAUT_FACE, 200, 130],
    ] as const) {
      const hovered = await provider.hover!(image, 'astronaut', { x, y });
      // No holes, as a click's selection has none: the superpixels the floods left out in the suit's
      // folds and its badge once drew a scatter of small outlines over her (16 holes on the suit).
      const filled = fillHoles(hovered.data, hovered.width, hovered.height, []);
      expect(filled.filter((v, i) => v !== hovered.data[i]).length, `${name}: pixels in holes`).toBe(0);
      const plain = await classic.hover(image, 'astronaut', { x, y });
      const truth = atSize(fillPolygon(outline, 512, 512), hovered);
      rows[name] = { people: iou(hovered, truth), classic: iou(plain, truth) };
    }
    console.table(rows);
    expect(rows['face (hover on the cheek)']!.people).toBeGreaterThan(0.8);
    expect(rows['person (hover on the suit)']!.people).toBeGreaterThan(0.5);
    for (const row of Object.values(rows)) expect(row.people).toBeGreaterThan(row.classic + 0.1);
    // Off the person (the flag), the plain outline.
    const flag = await provider.hover!(image, 'astronaut', { x: 25, y: 150 });
    expect(iou(flag, await classic.hover(image, 'astronaut', { x: 25, y: 150 }))).toBe(1);
  }, 120_000);
});

describe('the cameraman, whose skeleton shows only in part', () => {
  it('a click on his coat selects all of him: hair, face, coat and gloved hand, not the field or sky', async () => {
    const { image } = await decodePhoto({ kind: 'path', path: CAMERAMAN });
    const withPeople = await createSegmenterProvider({
      classic: new ClassicSegmenter(),
      people: detector,
    }).get();
    const request = {
      clicks: [{ x: 150, y: 300, positive: true }],
      box: null,
      previous: null,
      photoKey: 'cam',
    };
    const picked = await withPeople.segment(image, request);
    expect(picked.segmenter).toBe('people');
    const at = (x: number, y: number) => picked.mask.data[y * image.width + x]! > 0;
    // Only 0.74 of the coat's piece lies near his partial skeleton: once, only his face was selected.
    for (const [x, y] of [
      [100, 250],
      [80, 400],
      [300, 190],
      [190, 80],
      [220, 150],
    ] as const)
      expect(at(x, y), `his ${x},${y}`).toBe(true);
    for (const [x, y] of [
      [300, 40],
      [400, 400],
      [260, 400],
      [450, 300],
    ] as const)
      expect(at(x, y), `not his ${x},${y}`).toBe(false);
    const share = picked.mask.data.reduce((n, v) => n + (v > 0 ? 1 : 0), 0) / picked.mask.data.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  }, 120_000);
});

describe('a person the segmenter cannot cut out', () => {
  it('answers a click on the surfer as any click, never with an empty region', async () => {
    const { image } = await decodePhoto({ kind: 'path', path: `${PHOTOS_DIR}people/surfer.jpg` });
    const classic = new ClassicSegmenter();
    const withPeople = await createSegmenterProvider({ classic, people: detector }).get();
    // His torso, between the shoulders and hips MoveNet finds; every piece the classic segmenter cuts
    // there runs into the spray, off the person, and none was kept (the region came back empty).
    const request = {
      clicks: [{ x: 154, y: 203, positive: true }],
      box: null,
      previous: null,
      photoKey: 'surfer',
    };
    const found = await detector.find(image);
    expect(found.bodies).toHaveLength(1);
    expect(hitPerson(found, 154, 203)?.kind).toBe('person');
    expect(await selectPerson(found, image, request, classic)).toBeNull();
    const answer = await withPeople.segment(image, request);
    expect(answer.segmenter).not.toBe('people');
    expect(answer.mask.data.some((v) => v > 0)).toBe(true);
  }, 120_000);
});

describe('a click beside a person', () => {
  it('leaves the surfer and his board out of the sea clicked beside them', async () => {
    const { image } = await decodePhoto({ kind: 'path', path: `${PHOTOS_DIR}people/surfer.jpg` });
    const classic = new ClassicSegmenter();
    const request = {
      clicks: [{ x: 256, y: 440, positive: true }],
      box: null,
      previous: null,
      photoKey: 'sea',
    };
    const found = await detector.find(image);
    const board = found.objects.find((o) => o.label === 'surfboard')!;
    const bare = await classic.segment(image, { ...request, objects: found.objects });
    const sea = await (
      await createSegmenterProvider({ classic, people: detector }).get()
    ).segment(image, request);
    const at = (mask: Mask, x: number, y: number) => mask.data[Math.round(y) * mask.width + Math.round(x)]!;
    const onHim = [
      ...found.bodies[0]!.keypoints.filter((k) => /Hip|Knee/.test(k.part)),
      { x: board.box[0] + board.box[2] / 2, y: board.box[1] + board.box[3] / 2 },
    ];
    // Colour and texture alone took him (his hips, knees and the board's middle lie in the sea's answer).
    expect(onHim.filter((p) => at(bare.mask, p.x, p.y) > 0).length).toBeGreaterThanOrEqual(4);
    for (const p of onHim) expect(at(sea.mask, p.x, p.y)).toBe(0);
    const share = (mask: Mask) => mask.data.reduce((n, v) => n + (v ? 1 : 0), 0) / mask.data.length;
    expect(share(sea.mask)).toBeGreaterThan(share(bare.mask) - 0.06);
    expect(at(sea.mask, 256, 440)).toBe(255);
    await classic.dispose();
  }, 120_000);

  it('leaves the bathers MoveNet does not find out of the sea, from the boxes CenterNet gives them', async () => {
    // cold-water.jpg: MoveNet finds the wader in front; CenterNet finds him and the bathers behind him.
    const { image } = await decodePhoto({ kind: 'path', path: `${PHOTOS_DIR}people/cold-water.jpg` });
    const found = await detector.find(image);
    expect(found.bodies).toHaveLength(1);
    const bathers = found.objects.filter((o) => o.label === 'person');
    // Not the wader again: no bather's box holds the middle of his keypoints.
    const wader = found.bodies[0]!.keypoints;
    const mx = wader.reduce((sum, k) => sum + k.x, 0) / wader.length;
    const my = wader.reduce((sum, k) => sum + k.y, 0) / wader.length;
    expect(
      bathers.some(({ box: [bx, by, bw, bh] }) => mx > bx && mx < bx + bw && my > by && my < by + bh),
    ).toBe(false);
    expect(bathers.length).toBeGreaterThanOrEqual(5);
    const inBlue = bathers.reduce((a, b) => (a.box[2] * a.box[3] > b.box[2] * b.box[3] ? a : b));
    const classic = new ClassicSegmenter();
    const request = {
      clicks: [{ x: 680, y: 420, positive: true }],
      box: null,
      previous: null,
      photoKey: 'cold',
    };
    const sea = await (
      await createSegmenterProvider({ classic, people: detector }).get()
    ).segment(image, request);
    const at = (x: number, y: number) => sea.mask.data[Math.round(y) * sea.mask.width + Math.round(x)]!;
    const [x, y, w, h] = inBlue.box;
    // Her top, her shorts and her legs in the water stay out; the sea beside her box is in.
    for (const [fx, fy] of [
      [0.5, 0.3],
      [0.45, 0.8],
      [0.3, 0.95],
      [0.7, 0.95],
    ] as const)
      expect(at(x + w * fx, y + h * fy)).toBe(0);
    expect(at(680, 420)).toBe(255);
    expect(at(x + w + 40, y + h * 0.8)).toBe(255);
    // The wader's shins and hands, of the sea's colours, stay out with him (three of his keypoints lay
    // in the sea's answer, his sweater did not).
    const joint = (part: string) => found.bodies[0]!.keypoints.find((k) => k.part === part)!;
    for (const [a, b] of [
      ['leftKnee', 'leftAnkle'],
      ['rightKnee', 'rightAnkle'],
    ] as const)
      expect(at((joint(a).x + joint(b).x) / 2, (joint(a).y + joint(b).y) / 2)).toBe(0);
    expect(at(joint('leftWrist').x, joint('leftWrist').y)).toBe(0);
    await classic.dispose();
  }, 120_000);
});

describe('a face seen from the side', () => {
  it("refuses face words on the cameraman's face in plain words, as a refusal by design", async () => {
    const { image } = await decodePhoto({ kind: 'path', path: CAMERAMAN });
    const found = await detector.find(image);
    expect(found.faces).toHaveLength(1);
    const engine = createMotionEngine({ workers: 0, people: detector });
    const region = regionSpec({
      id: 'face',
      mask: faceMask(found.faces[0]!, image.width, image.height),
      prompt: 'smile',
      strength: 4,
      seed: 1,
    });
    const refusal = await engine
      .prepare(
        { photo: image, regions: [region], timing: { seconds: 1, fps: 12, loop: 'loop' }, size: image },
        { signal: new AbortController().signal, progress: () => undefined },
      )
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(refusal).toBeInstanceOf(StirError);
    expect((refusal as StirError).message).toMatch(/turned too far from the camera, so it cannot smile/);
    expect((refusal as StirError).details?.['refusal']).toBe('face-turned-away');
    await engine.dispose();
  }, 120_000);
});

describe('photos without people', () => {
  it('finds nobody on the cat, the coffee, the grass and the rocket, in one pass each', async () => {
    for (const name of PHOTO_NAMES.filter((n) => n !== 'astronaut.png')) {
      const photo = (await loadPhoto(name)).image;
      const found = await detector.find(photo);
      expect(found.faces, name).toEqual([]);
      expect(found.bodies, name).toEqual([]);
      // Cached with the photo: the second ask is the same result, not a second pass.
      expect(await detector.find(photo)).toBe(found);
    }
  }, 120_000);
});
