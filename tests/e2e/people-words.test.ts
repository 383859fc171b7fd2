// Issue 12, point 7: people-aware motion words in the regions panel. A click on the astronaut's face makes
// a face region that starts smiling and offers the face words the built-in engine makes as quick picks; a
// click on her suit makes a person region that starts breathing and offers the person's words first, then
// the face's; a quick pick sets the region's motion at that word's own strength.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickPhoto,
  ENGINE_WAIT_MS,
  hoverOutline,
  openPhoto,
  photoToPage,
  screenshot,
  settle,
  startEditor,
  waitForState,
  type EditorSession,
} from './harness.js';

let s: EditorSession;

beforeAll(async () => {
  s = await startEditor();
});
afterAll(async () => {
  await s?.close();
});

describe('the hover outline over people (12.2)', () => {
  /** Moves the pointer off her and back onto a photo pixel until the outline shown passes a check. */
  async function hoverUntil(
    x: number,
    y: number,
    check: (box: NonNullable<Awaited<ReturnType<typeof hoverOutline>>>) => boolean,
    what: string,
  ) {
    const deadline = Date.now() + ENGINE_WAIT_MS;
    for (;;) {
      // Off her (the flag), then onto her: a pointer still inside the outline shown asks for nothing new.
      const away = await photoToPage(s.page, 25, 150);
      await s.page.mouse.move(away.x, away.y);
      const at = await photoToPage(s.page, x, y);
      await s.page.mouse.move(at.x, at.y);
      await s.page.waitForTimeout(200);
      const box = await hoverOutline(s.page);
      if (box && check(box)) return box;
      if (Date.now() > deadline)
        throw new Error(`Timed out waiting for ${what}; last: ${JSON.stringify(box)}`);
    }
  }

  it('outlines her face over her cheek and all of her over her suit, before any click', async () => {
    await openPhoto(s.page, 'astronaut.png');
    // Her face: the mesh's outline, from the hairline to the chin (drawn by hand: x 172-275, y 70-168).
    const face = await hoverUntil(
      200,
      130,
      (b) => b.x0 > 150 && b.x1 < 300 && b.y0 > 50 && b.y1 < 190 && b.x1 - b.x0 > 70,
      'the outline of her face',
    );
    expect(face.share).toBeLessThan(0.06);
    await screenshot(s.page, 'people-hover-face');
    // All of her: from her hair to the photo's bottom, arm to arm.
    const person = await hoverUntil(
      110,
      380,
      (b) => b.y0 < 60 && b.y1 > 480 && b.x1 - b.x0 > 250,
      'the outline of all of her',
    );
    expect(person.share).toBeGreaterThan(0.2);
    expect(person.share).toBeLessThan(0.6);
    await screenshot(s.page, 'people-hover-person');
    const flag = await photoToPage(s.page, 25, 150);
    await s.page.mouse.move(flag.x, flag.y);
  });
});

describe('people words for a face or a person (12.7)', () => {
  it("a click on the astronaut's face: a smiling face region with the face words as quick picks", async () => {
    await clickPhoto(s.page, 225, 110);
    const state = await waitForState(s.page, (st) => st.regions.length === 1, 'a region from the click');
    expect(state.regions[0]!.prompt).toBe('smile');
    const picks = s.page.getByRole('group', { name: 'Motions for a face' });
    await picks.waitFor();
    const words = await picks.getByRole('button').allTextContents();
    expect(words.map((w) => w.trim())[0]).toBe('smile');
    expect(words.map((w) => w.trim())).not.toContain('breathe');
    expect(await picks.getByRole('button', { name: 'smile' }).getAttribute('aria-pressed')).toBe('true');
    await settle(s.page);
    await screenshot(s.page, 'people-words-face');
  });

  it('a click on her suit: a breathing person region; a quick pick sets its motion', async () => {
    await clickPhoto(s.page, 250, 400);
    const state = await waitForState(s.page, (st) => st.regions.length === 2, 'a second region');
    expect(state.regions[1]!.prompt).toBe('breathe');
    const picks = s.page.getByRole('group', { name: 'Motions for a person' });
    await picks.waitFor();
    const words = (await picks.getByRole('button').allTextContents()).map((w) => w.trim());
    expect(words[0]).toBe('breathe');
    expect(words).toContain('smile');
    await picks.getByRole('button', { name: 'smile' }).click();
    const smiling = await waitForState(
      s.page,
      (st) => st.regions[1]!.prompt === 'smile',
      'the person region to smile',
    );
    // At the smile's own strength, not the breath's.
    expect(smiling.regions[1]!.strength).toBe(4);
    expect(await picks.getByRole('button', { name: 'smile' }).getAttribute('aria-pressed')).toBe('true');
    await settle(s.page);
    await screenshot(s.page, 'people-words-person');
  });
});
