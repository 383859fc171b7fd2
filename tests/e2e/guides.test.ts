// Issue 13, point 5: motion where the person wants it. In the editor a motion path is drawn with the Path
// tool (click, click, double-click) and an anchor placed with the Anchor tool; both show on the canvas
// for the selected region, reach the engine's document, re-render the preview, and each is one undo step.
// The freeze brush paints where the region holds still.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callsSince,
  canvasPixel,
  canvasZoom,
  clickPhoto,
  dragPhoto,
  editorState,
  openPhoto,
  photoToPage,
  screenshot,
  settle,
  startEditor,
  stillCanvas,
  waitForState,
  type EditorSession,
} from './harness.js';

let s: EditorSession;
let docId = '';
const region = async () => (await s.engine.service.listRegions({ docId }))[0]!;

/** The coffee's surface in coffee.png (600 x 400), and a path across it, bending upwards. */
const COFFEE = { x: 290, y: 145 };
const PATH = [
  { x: 225, y: 150 },
  { x: 290, y: 115 },
  { x: 355, y: 150 },
];
const ANCHOR = { x: 300, y: 172 };

/** Waits for the preview to finish a render begun after `renders` renders. */
async function renderAfter(renders: number) {
  return waitForState(
    s.page,
    (st) => st.renders > renders && !st.rendering && st.frames === st.frameCount,
    'a new render',
    90_000,
  );
}

beforeAll(async () => {
  s = await startEditor({ viewport: { width: 900, height: 700 } });
  docId = (await openPhoto(s.page, 'coffee.png')).docId!;
  await clickPhoto(s.page, COFFEE.x, COFFEE.y);
  await waitForState(s.page, (st) => st.regions.length === 1, 'a region');
  const field = s.page.getByRole('combobox', { name: 'Motion' });
  await field.fill('flow');
  await field.press('Enter');
  await waitForState(s.page, (st) => st.regions[0]?.prompt === 'flow', 'flow');
  await settle(s.page);
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('motion guides in the editor', () => {
  it('draws a path with click, click, double-click: shown as an arrowed line, in the engine, re-rendered', async () => {
    const before = await renderAfter(0);
    const calls = s.calls.length;
    await s.page.getByRole('button', { name: 'Path: motion path' }).click();
    expect((await editorState(s.page)).tool).toBe('path');
    await clickPhoto(s.page, PATH[0]!.x, PATH[0]!.y);
    await clickPhoto(s.page, PATH[1]!.x, PATH[1]!.y);
    const end = await photoToPage(s.page, PATH[2]!.x, PATH[2]!.y);
    await s.page.mouse.dblclick(end.x, end.y);
    const state = await waitForState(s.page, (st) => st.regions[0]?.paths.length === 1, 'a path');
    expect(state.regions[0]!.paths[0]!).toHaveLength(3);
    await settle(s.page);
    const stored = (await region()).motion.paths;
    expect(stored).toHaveLength(1);
    for (const [k, p] of PATH.entries()) {
      expect(Math.abs(stored[0]![k]!.x - p.x)).toBeLessThan(1.5);
      expect(Math.abs(stored[0]![k]!.y - p.y)).toBeLessThan(1.5);
    }
    expect(await s.page.getByText('Path 1').count()).toBe(1);
    // The preview renders the region again, with the path in what the engine animates.
    await renderAfter(before.renders);
    const renders = callsSince(s, calls, 'startRender');
    expect(renders.length).toBeGreaterThan(0);
  });

  it('places an anchor as a pin, undoes it in one step, and the pin goes', async () => {
    await stillCanvas(s.page);
    await s.page.getByRole('button', { name: 'Anchor: hold a point still' }).click();
    await clickPhoto(s.page, ANCHOR.x, ANCHOR.y);
    await waitForState(s.page, (st) => st.regions[0]?.anchors.length === 1, 'an anchor');
    await settle(s.page);
    expect((await region()).motion.anchors).toHaveLength(1);
    const zoom = await canvasZoom(s.page);
    // The pin's head sits 14 screen pixels above the point, red.
    const head = await canvasPixel(s.page, ANCHOR.x, ANCHOR.y - 14 / zoom);
    expect(head[0]).toBeGreaterThan(200);
    expect(head[1]).toBeLessThan(140);
    // The path's line passes through its middle point, in the region's colour over a dark outline.
    const onPath = await canvasPixel(s.page, PATH[1]!.x + 13, PATH[1]!.y + 7);
    const photoThere = await canvasPixel(s.page, PATH[1]!.x + 10, PATH[1]!.y + 40);
    expect(onPath).not.toEqual(photoThere);
    await screenshot(s.page, 'guides-path-and-anchor');

    await s.page.getByRole('button', { name: 'Undo Place anchor' }).click();
    await waitForState(s.page, (st) => st.regions[0]?.anchors.length === 0, 'the anchor undone');
    const st = await settle(s.page);
    expect(st.regions[0]!.paths).toHaveLength(1);
    expect((await region()).motion.anchors).toHaveLength(0);
    expect((await region()).motion.paths).toHaveLength(1);
    const after = await canvasPixel(s.page, ANCHOR.x, ANCHOR.y - 14 / zoom);
    expect(after).not.toEqual(head);
    await screenshot(s.page, 'guides-anchor-undone');
  });

  it('drags a path point, and the freeze brush paints a stroke the engine keeps', async () => {
    await s.page.getByRole('button', { name: 'Path: motion path' }).click();
    await dragPhoto(s.page, PATH[1]!, { x: PATH[1]!.x, y: PATH[1]!.y - 30 });
    await waitForState(
      s.page,
      (st) => (st.regions[0]?.paths[0]?.[1]?.y ?? 0) < PATH[1]!.y - 20,
      'the moved point',
    );
    await settle(s.page);
    expect((await region()).motion.paths[0]![1]!.y).toBeLessThan(PATH[1]!.y - 20);

    await s.page.getByRole('button', { name: 'Freeze brush' }).click();
    await dragPhoto(s.page, { x: 240, y: 140 }, { x: 290, y: 140 });
    await waitForState(s.page, (st) => st.regions[0]?.freeze.length === 1, 'a freeze stroke');
    await settle(s.page);
    const stroke = (await region()).motion.freeze[0]!;
    expect(stroke.erase).toBe(false);
    expect(stroke.points.length).toBeGreaterThan(2);
    await screenshot(s.page, 'guides-freeze');
    // Undo takes back the stroke alone; the moved point stays.
    await s.page.getByRole('button', { name: 'Undo Paint freeze' }).click();
    await waitForState(s.page, (st) => st.regions[0]?.freeze.length === 0, 'the stroke undone');
    await settle(s.page);
    expect((await region()).motion.freeze).toHaveLength(0);
    expect((await region()).motion.paths[0]![1]!.y).toBeLessThan(PATH[1]!.y - 20);
  });
});
