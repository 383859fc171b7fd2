// Issue 10, point 5, in the editor: a click on a hard photo gives the classic segmenter's best answer and
// says how many there are; Tab on the canvas takes the next answer (the region's mask changes), Shift+Tab
// goes back to the first, and each shows "Selection N of M (Tab for next)", one notice at a time. Past the
// ends Tab moves the focus as usual, and once the region is refined another way Tab leaves it alone.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickPhoto,
  openPhotoFile,
  screenshot,
  settle,
  startEditor,
  waitForState,
  waitUntil,
  type EditorSession,
} from './harness.js';
import { PHOTOS_DIR } from '../helpers/photos.js';

let s: EditorSession;

beforeAll(async () => {
  s = await startEditor();
});
afterAll(async () => {
  await s?.close();
});

describe('stepping through the answers to a click (Tab)', () => {
  it('Tab gives the next answer for the yellow flower, Shift+Tab the first again, with a notice', async () => {
    const opened = await openPhotoFile(s.page, join(PHOTOS_DIR, 'hard', 'yellow-flower.jpg'));
    expect(opened.regions).toHaveLength(0);

    // The click of the hard scene (0.45, 0.55 of 1920 x 1200): its first answer is the dark ground between
    // the petals, its second the flower (tests/unit/segment/hard-photos.test.ts).
    await clickPhoto(s.page, 864, 660);
    const first = await waitForState(
      s.page,
      (st) => st.regions.length === 1 && st.busy === null && st.pending === 0,
      'a region from the click',
    );
    const firstArea = first.regions[0]!.area;
    const toasts = s.page.getByTestId('toast');
    await toasts
      .filter({ hasText: /Selection 1 of \d+ \(Tab for next\)/ })
      .first()
      .waitFor();

    await s.page.keyboard.press('Tab');
    const second = await waitForState(
      s.page,
      (st) => st.regions.length === 1 && st.regions[0]!.area !== firstArea && st.pending === 0,
      'the second answer',
    );
    expect(second.regions[0]!.clicks).toBe(1);
    const notice = toasts.filter({ hasText: /Selection 2 of \d+ \(Tab for next\)/ }).first();
    await notice.waitFor();
    // The notice replaces the first one rather than stacking under it.
    expect(await toasts.filter({ hasText: /Selection \d+ of/ }).count()).toBe(1);
    await settle(s.page);
    const shot = await screenshot(s.page, 'selection-choices-second');
    expect(shot).toMatch(/selection-choices-second\.png$/);

    await s.page.keyboard.press('Shift+Tab');
    const back = await waitForState(
      s.page,
      (st) => st.regions[0]!.area === firstArea && st.pending === 0,
      'the first answer again',
    );
    expect(back.regions).toHaveLength(1);

    // Before the first answer there is none: Shift+Tab moves the focus off the canvas as usual (the
    // canvas never traps the keyboard) and the region stays.
    const onCanvas = () =>
      s.page.evaluate(`Boolean(document.activeElement && document.activeElement.closest('.host'))`);
    expect(await onCanvas()).toBe(true);
    await s.page.keyboard.press('Shift+Tab');
    await waitUntil(async () => !(await onCanvas()), 'the focus to leave the canvas');
    const still = await settle(s.page);
    expect(still.regions[0]!.area).toBe(firstArea);
  });

  it('after a refining click Tab no longer changes the region', async () => {
    await settle(s.page);
    await clickPhoto(s.page, 1500, 300, ['Shift']);
    const refined = await waitForState(
      s.page,
      (st) => st.regions[0]!.clicks === 2 && st.pending === 0 && st.busy === null,
      'the refined region',
    );
    await s.page.keyboard.press('Tab');
    await settle(s.page);
    const after = await waitForState(s.page, (st) => st.pending === 0, 'idle after Tab');
    expect(after.regions[0]!.area).toBe(refined.regions[0]!.area);
  });
});
