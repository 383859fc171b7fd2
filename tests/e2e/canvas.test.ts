// Issue 5, point 1: the canvas. Zoom and pan, fit; regions as coloured overlays with a hover highlight;
// click markers shown and removable; refine with Shift-click and Alt-click, a box, a brush and an eraser;
// select, rename, reorder, hide and delete regions. Checked against what the engine holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasDigest,
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
  waitUntil,
  type EditorSession,
} from './harness.js';

let s: EditorSession;
let docId = '';
const engineRegions = () => s.engine.service.listRegions({ docId });

beforeAll(async () => {
  s = await startEditor();
  docId = (await openPhoto(s.page, 'astronaut.png')).docId!;
  await stillCanvas(s.page);
});
afterAll(async () => {
  await s?.close();
});

describe('zoom and pan', () => {
  it('zooms with the buttons and the wheel (about the pointer), and fits with Ctrl+0', async () => {
    const fit = await canvasZoom(s.page);
    await s.page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await canvasZoom(s.page)).toBeCloseTo(fit * 1.25, 3);
    const anchor = await photoToPage(s.page, 300, 200);
    await s.page.mouse.move(anchor.x, anchor.y);
    await s.page.mouse.wheel(0, -300);
    await waitUntil(async () => (await canvasZoom(s.page)) > fit * 1.3, 'the wheel to zoom in');
    const after = await photoToPage(s.page, 300, 200);
    expect(Math.abs(after.x - anchor.x)).toBeLessThan(2);
    expect(Math.abs(after.y - anchor.y)).toBeLessThan(2);
    await s.page.keyboard.press('Control+0');
    expect(await canvasZoom(s.page)).toBeCloseTo(fit, 5);
  });

  it('pans with Space-drag and with the hand tool, without making regions', async () => {
    const before = await photoToPage(s.page, 0, 0);
    const start = await photoToPage(s.page, 256, 256);
    await s.page.mouse.move(start.x, start.y);
    await s.page.keyboard.down(' ');
    await s.page.mouse.down();
    await s.page.mouse.move(start.x + 60, start.y + 30, { steps: 5 });
    await s.page.mouse.up();
    await s.page.keyboard.up(' ');
    const panned = await photoToPage(s.page, 0, 0);
    expect(panned.x - before.x).toBeCloseTo(60, 0);
    expect(panned.y - before.y).toBeCloseTo(30, 0);
    await s.page.keyboard.press('h');
    await s.page.mouse.move(start.x, start.y);
    await s.page.mouse.down();
    await s.page.mouse.move(start.x - 40, start.y, { steps: 4 });
    await s.page.mouse.up();
    expect((await photoToPage(s.page, 0, 0)).x - panned.x).toBeCloseTo(-40, 0);
    expect((await editorState(s.page)).playing).toBe(false);
    await s.page.keyboard.press('v');
    await s.page.keyboard.press('Control+0');
    expect((await editorState(s.page)).regions).toEqual([]);
  });
});

describe('regions from clicks', () => {
  it('shows a region as a coloured overlay with a green click marker, highlighted under the pointer', async () => {
    const bare = await canvasDigest(s.page, { x: 380, y: 10, width: 80, height: 160 });
    await clickPhoto(s.page, 410, 128);
    const state = await waitForState(s.page, (st) => st.regions.length === 1, 'a region');
    expect(await canvasDigest(s.page, { x: 380, y: 10, width: 80, height: 160 })).not.toBe(bare);
    // Beside the marker's white plus, inside its disc.
    const [r, g, b] = await canvasPixel(s.page, 410, 128, 4, -4);
    expect(g).toBeGreaterThan(r + 40); // the marker's green
    expect(g).toBeGreaterThan(b);
    const elsewhere = await photoToPage(s.page, 60, 470);
    await s.page.mouse.move(elsewhere.x, elsewhere.y);
    await waitForState(s.page, (st) => st.hoverId === null, 'no hover');
    const inside = await photoToPage(s.page, 414, 150);
    await s.page.mouse.move(inside.x, inside.y);
    await waitForState(s.page, (st) => st.hoverId === state.regions[0]!.id, 'the hover highlight');
    expect(
      await s.page.locator(`li[data-region-id="${state.regions[0]!.id}"]`).getAttribute('class'),
    ).toContain('hover');
  });

  it('adds to the selected region with Shift-click and removes with Alt-click (a red marker)', async () => {
    await clickPhoto(s.page, 414, 40, ['Shift']);
    await waitForState(s.page, (st) => st.regions[0]?.clicks === 2, 'a second click');
    await settle(s.page);
    await clickPhoto(s.page, 414, 170, ['Alt']);
    const state = await waitForState(s.page, (st) => st.regions[0]?.clicks === 3, 'a negative click');
    await settle(s.page);
    const [region] = await engineRegions();
    expect(region!.clicks.map((c) => c.positive)).toEqual([true, true, false]);
    const [r, g] = await canvasPixel(s.page, 414, 170, 4, -4);
    expect(r).toBeGreaterThan(g + 40);
    expect(state.regions).toHaveLength(1);
  });

  it('takes a click back when its marker is clicked, and finds the region again', async () => {
    await clickPhoto(s.page, 414, 170);
    await waitForState(s.page, (st) => st.regions[0]?.clicks === 2, 'the marker to go');
    await settle(s.page);
    const [region] = await engineRegions();
    expect(region!.clicks.every((c) => c.positive)).toBe(true);
  });

  it('makes a region from a box dragged with the box tool', async () => {
    await s.page.keyboard.press('Escape');
    await s.page.keyboard.press('r');
    await dragPhoto(s.page, { x: 120, y: 150 }, { x: 310, y: 305 });
    const state = await waitForState(s.page, (st) => st.regions.length === 2, 'a region from the box');
    await settle(s.page);
    const boxed = state.regions[1]!;
    expect(boxed.box).toBe(true);
    expect(boxed.area).toBeGreaterThan(1000);
    const box = (await engineRegions())[1]!.box!;
    // Within a pixel of where the pointer went (screen to photo rounding).
    for (const [got, want] of [
      [box.x0, 120],
      [box.y0, 150],
      [box.x1, 310],
      [box.y1, 305],
    ] as const) {
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1);
    }
  });
});

describe('brush and eraser', () => {
  it('paints a new region, paints more onto it, and erases from it', async () => {
    await s.page.keyboard.press('Escape');
    await s.page.keyboard.press('b');
    await dragPhoto(s.page, { x: 40, y: 420 }, { x: 140, y: 420 });
    let state = await waitForState(s.page, (st) => st.regions.length === 3, 'a painted region');
    await settle(s.page);
    const first = state.regions[2]!.area;
    expect(first).toBeGreaterThan(100 * 20);
    await dragPhoto(s.page, { x: 40, y: 460 }, { x: 140, y: 460 });
    state = await waitForState(s.page, (st) => (st.regions[2]?.area ?? 0) > first + 1000, 'more paint');
    await settle(s.page);
    const painted = state.regions[2]!.area;
    await s.page.keyboard.press('e');
    await dragPhoto(s.page, { x: 90, y: 400 }, { x: 90, y: 480 });
    await waitForState(s.page, (st) => (st.regions[2]?.area ?? 0) < painted - 500, 'erased paint');
    await settle(s.page);
    const mask = (await engineRegions())[2]!.mask;
    expect(mask.data[440 * mask.width + 90]).toBe(0);
    expect(mask.data[420 * mask.width + 50]).toBe(255);
    await s.page.keyboard.press('v');
  });
});

describe('managing regions', () => {
  it('selects a region by clicking it on the photo or in the list', async () => {
    const state = await editorState(s.page);
    const [a, b] = state.regions;
    await clickPhoto(s.page, 414, 100);
    await waitForState(s.page, (st) => st.selectedId === a!.id, 'a click to select');
    await s.page.getByRole('button', { name: new RegExp(`^${b!.name}:`) }).click();
    await waitForState(s.page, (st) => st.selectedId === b!.id, 'the list to select');
    expect((await editorState(s.page)).regions).toHaveLength(3);
  });

  it('renames with a double-click, reorders, hides and deletes, in the engine too', async () => {
    const state = await editorState(s.page);
    const a = state.regions[0]!;
    await s.page.getByRole('button', { name: new RegExp(`^${a.name}:`) }).dblclick();
    const input = s.page.getByRole('textbox', { name: `New name for ${a.name}` });
    await input.fill('Flag');
    await input.press('Enter');
    await waitForState(s.page, (st) => st.regions[0]?.name === 'Flag', 'the new name');
    await s.page.getByRole('button', { name: 'Move Flag up' }).click();
    await waitForState(s.page, (st) => st.regions[1]?.name === 'Flag', 'the new order');
    await s.page.getByRole('button', { name: 'Hide Flag' }).click();
    await waitForState(s.page, (st) => st.regions[1]?.visible === false, 'Flag hidden');
    await settle(s.page);
    let engine = await engineRegions();
    expect(engine.map((r) => r.name)[1]).toBe('Flag');
    expect(engine[1]!.visible).toBe(false);
    await screenshot(s.page, 'canvas-regions');
    await s.page.getByRole('button', { name: 'Show Flag' }).click();
    await s.page.getByRole('button', { name: /^Flag:/ }).click();
    await s.page.keyboard.press('Delete');
    await waitForState(
      s.page,
      (st) => st.regions.length === 2 && !st.regions.some((r) => r.name === 'Flag'),
      'Flag deleted',
    );
    await settle(s.page);
    engine = await engineRegions();
    expect(engine.map((r) => r.name)).not.toContain('Flag');
    expect(engine).toHaveLength(2);
  });
});
