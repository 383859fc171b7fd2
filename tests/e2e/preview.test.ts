// Issue 5, point 4: the live preview. Frames appear and play while the render goes on; a change to one
// region re-renders only what it affects, and the rest keeps moving; the preview's size follows the window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callsSince,
  clickPhoto,
  dragPhoto,
  editorState,
  openPhoto,
  settle,
  startEditor,
  waitForState,
  type EditorSession,
} from './harness.js';
import { sampleOverTime } from './helpers.js';

let s: EditorSession;
let docId = '';

beforeAll(async () => {
  s = await startEditor({ viewport: { width: 720, height: 560 } });
  docId = (await openPhoto(s.page, 'astronaut.png')).docId!;
});
afterAll(async () => {
  await s?.close();
});

describe('live preview', () => {
  it('shows frames as they arrive and plays them while the render goes on', async () => {
    await clickPhoto(s.page, 410, 128); // the flag
    await waitForState(s.page, (st) => st.regions.length === 1, 'a region');
    const partway: number[] = [];
    const done = await waitForState(
      s.page,
      (st) => {
        if (st.rendering && st.frames > 0 && st.frames < st.frameCount) partway.push(st.frames);
        return st.renders > 0 && !st.rendering && st.frames === st.frameCount;
      },
      'the first render',
    );
    expect(partway.length).toBeGreaterThan(0);
    expect(done.playedWhileRendering).toBe(true);
    expect(done.playing).toBe(true);
    const renderCalls = callsSince(s, 0, 'startRender');
    expect(renderCalls.at(-1)?.params).toMatchObject({ docId, regionIds: null });
  });

  it('re-renders only the changed region, and the other region keeps moving', async () => {
    await s.page.keyboard.press('Escape');
    // A patch on the suit, far from the shuttle, drawn with the box tool: a click on the suit would select
    // the whole person (issue 12), which reaches the shuttle's region.
    const rendersBefore = (await editorState(s.page)).renders;
    await s.page.keyboard.press('r');
    await dragPhoto(s.page, { x: 140, y: 340 }, { x: 215, y: 430 });
    const state = await waitForState(s.page, (st) => st.regions.length === 2, 'a second region');
    await waitForState(
      s.page,
      // The new region's own render starts after a short debounce: wait for it to have run, not for the
      // frames of the render before it.
      (st) => st.renders > rendersBefore && !st.rendering && st.frames === st.frameCount,
      'its render',
    );
    await settle(s.page);
    const [flag, patch] = state.regions;
    await waitForState(
      s.page,
      (st) => !st.rendering && st.pending === 0 && st.frames === st.frameCount,
      'renders to finish',
    );

    const from = s.calls.length;
    await s.page.getByRole('button', { name: new RegExp(`^${flag!.name}:`) }).click();
    const slider = s.page.getByRole('slider', { name: 'Strength' });
    await slider.focus();
    await slider.press('PageUp');
    await waitForState(s.page, (st) => st.regions[0]!.strength !== flag!.strength, 'a stronger flag');
    const after = await waitForState(
      s.page,
      (st) => callsSince(s, from, 'startRender').length > 0 && !st.rendering && st.frames === st.frameCount,
      'the partial render',
    );
    const calls = callsSince(s, from, 'startRender');
    expect(
      calls.every(
        (c) => JSON.stringify((c.params as { regionIds: unknown }).regionIds) === JSON.stringify([flag!.id]),
      ),
    ).toBe(true);
    expect(after.lastPlan).toEqual({
      kind: 'partial',
      regionIds: [flag!.id],
      rects: expect.any(Array) as unknown,
    });
    // The patch's frames were kept and still play.
    if (!after.playing) await s.page.getByTestId('play').click();
    const digests = await sampleOverTime(s.page, { x: 133, y: 348, width: 76, height: 74 }, 6, 120);
    expect(new Set(digests).size).toBeGreaterThan(1);
    void patch;
  });

  it('renders at the size the photo is shown: a larger window asks for larger frames', async () => {
    const small = (await editorState(s.page)).longSide;
    expect(small).toBeLessThan(512);
    const from = s.calls.length;
    await s.page.setViewportSize({ width: 1600, height: 1000 });
    await waitForState(s.page, (st) => st.longSide > small, 'a larger preview');
    await waitForState(
      s.page,
      (st) => callsSince(s, from, 'startRender').length > 0 && !st.rendering && st.frames === st.frameCount,
      'the new render',
    );
    const last = callsSince(s, from, 'startRender').at(-1)!.params as {
      previewLongSide: number;
      regionIds: unknown;
    };
    expect(last.previewLongSide).toBe(512);
    expect(last.regionIds).toBeNull();
  });
});
