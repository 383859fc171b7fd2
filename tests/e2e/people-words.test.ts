// Issue 12, point 7: people-aware motion words in the regions panel. A click on the astronaut's face makes
// a face region that starts smiling and offers the face words the built-in engine makes as quick picks; a
// click on her suit makes a person region that starts breathing and offers the person's words first, then
// the face's; a quick pick sets the region's motion at that word's own strength.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickPhoto,
  openPhoto,
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

describe('people words for a face or a person (12.7)', () => {
  it("a click on the astronaut's face: a smiling face region with the face words as quick picks", async () => {
    await openPhoto(s.page, 'astronaut.png');
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
