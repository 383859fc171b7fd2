// Issue 13, points 2, 3 and 6, as a newcomer meets them in browser mode: a click on the sky starts as
// "drift" and a face as "smile" (issue 12.7); after Play/Pause is clicked, End, Home and the arrows still step
// frames; an error goes when its cause is fixed; "Autosaved" shows only once the recovery copy exists;
// leaving with unsaved work asks first; another photo starts with the click tool and the usual brush;
// pose keys stay inside the region's active time; the export dialog makes missing folders, names a
// clip written into a folder, and corrects (and says) an extension that does not match the format.
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickPhoto,
  editorState,
  holdAt,
  openPhoto,
  screenshot,
  settle,
  startEditor,
  waitForState,
  type EditorSession,
} from './harness.js';
import { probeClip } from './helpers.js';
import { photoPath } from '../helpers/photos.js';

let s: EditorSession;

beforeAll(async () => {
  s = await startEditor();
});
afterAll(async () => {
  await s?.close();
});

describe('a new region starts with the motion for what was clicked (13.6)', () => {
  it('a click on the sky of the rocket photo makes a region that drifts', async () => {
    await openPhoto(s.page, 'rocket.jpg');
    await clickPhoto(s.page, 150, 100);
    const state = await waitForState(s.page, (st) => st.regions.length === 1, 'a region from the click');
    expect(state.regions[0]!.prompt).toBe('drift');
    await settle(s.page);
    expect(await s.page.getByRole('combobox', { name: 'Motion' }).inputValue()).toBe('drift');
    await screenshot(s.page, 'newcomer-sky-drifts');
  });
});

describe('keyboard and state (13.3)', () => {
  it('steps frames with End, Home and the arrows right after Play/Pause is clicked', async () => {
    const play = s.page.getByTestId('play');
    // Click it until it is paused: the button keeps the focus, as after any click.
    await play.click();
    if ((await editorState(s.page)).playing) await play.click();
    await waitForState(s.page, (st) => !st.playing, 'paused');
    expect(
      await play.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true);
    await s.page.keyboard.press('End');
    await waitForState(s.page, (st) => st.frame === st.frameCount - 1, 'the last frame');
    await s.page.keyboard.press('Home');
    await waitForState(s.page, (st) => st.frame === 0, 'the first frame');
    await s.page.keyboard.press('ArrowRight');
    await s.page.keyboard.press('ArrowRight');
    await waitForState(s.page, (st) => st.frame === 2, 'frame 2');
    await s.page.keyboard.press('ArrowLeft');
    await waitForState(s.page, (st) => st.frame === 1, 'frame 1');
    // Space still plays and pauses from the button.
    await s.page.keyboard.press('Space');
    await waitForState(s.page, (st) => st.playing, 'playing again');
    await holdAt(s.page, 0);
  });

  it('takes an error away once its cause is fixed', async () => {
    const field = s.page.getByRole('combobox', { name: 'Motion' });
    const banner = s.page.getByTestId('error-banner');
    await field.fill('zzqx');
    await field.press('Enter');
    await banner.waitFor();
    await screenshot(s.page, 'newcomer-error-shown');
    await field.fill('drift');
    await field.press('Enter');
    await banner.waitFor({ state: 'detached' });
    await waitForState(s.page, (st) => st.regions[0]!.prompt === 'drift' && !st.rendering, 'drift again');
    expect(await banner.count()).toBe(0);
  });

  it('says "Autosaved" only once the recovery copy is on disk', async () => {
    const status = s.page.locator('.status');
    const autosaved = status.getByText(/Autosaved/);
    await settle(s.page);
    await s.page.keyboard.press('Control+s');
    await s.page.getByTestId('toast').filter({ hasText: 'Saved to' }).waitFor();
    await waitForState(s.page, (st) => !st.dirty, 'saved');
    const docId = (await editorState(s.page)).docId!;
    // The save removed the recovery copy: an edit now is unsaved, but not yet autosaved.
    const slider = s.page.getByRole('slider', { name: 'Strength' });
    await slider.focus();
    await slider.press('PageUp');
    await waitForState(s.page, (st) => st.dirty, 'an unsaved edit');
    const recovered = async () => (await s.engine.service.listRecoveries({})).some((r) => r.id === docId);
    if (!(await recovered())) expect(await autosaved.count()).toBe(0);
    await autosaved.waitFor();
    expect(await recovered()).toBe(true);
  });

  it('asks before the browser tab leaves with unsaved work', async () => {
    expect((await editorState(s.page)).dirty).toBe(true);
    const asked = new Promise<string>((resolve) => {
      s.page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    await s.page.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    // Dismissed: the editor is still there, with the work.
    expect(s.page.isClosed()).toBe(false);
    expect((await editorState(s.page)).regions).toHaveLength(1);
  });

  it('starts another photo with the click tool and the usual brush', async () => {
    await s.page.keyboard.press('b');
    for (let i = 0; i < 3; i++) await s.page.keyboard.press(']');
    let state = await waitForState(s.page, (st) => st.tool === 'brush' && st.brushSize > 32, 'a big brush');
    expect(state.brushSize).toBeGreaterThan(32);
    await s.page.setInputFiles('[data-testid="photo-input"]', photoPath('astronaut.png'));
    await s.page.getByRole('button', { name: "Don't save" }).click();
    state = await waitForState(
      s.page,
      (st) => st.regions.length === 0 && st.busy === null && st.docId !== null,
      'the astronaut',
    );
    expect(state.tool).toBe('click');
    expect(state.brushSize).toBe(32);
  });

  it('a click on a face makes a region that smiles', async () => {
    await clickPhoto(s.page, 225, 110);
    const state = await waitForState(s.page, (st) => st.regions.length === 1, 'a region from the click');
    expect(state.regions[0]!.prompt).toBe('smile');
    await settle(s.page);
  });

  it("keys a pose only inside the region's active time", async () => {
    const name = (await editorState(s.page)).regions[0]!.name;
    const start = s.page.getByRole('slider', { name: `${name} starts moving at` });
    await start.focus();
    for (let i = 0; i < 12; i++) await start.press('ArrowRight');
    await waitForState(s.page, (st) => Math.abs(st.regions[0]!.start - 0.5) < 1e-6, 'a start at 0.5 s');
    await settle(s.page);
    await holdAt(s.page, 0);
    // Added at 0 s, before the region moves: keyed at its start, where the playhead goes.
    await s.page.getByRole('button', { name: 'Add a person skeleton' }).click();
    const added = await waitForState(s.page, (st) => st.regions[0]!.pose === 1, 'a skeleton');
    expect(added.frame).toBe(12);
    await settle(s.page);
    const docId = added.docId!;
    const pose = async () => (await s.engine.service.listRegions({ docId }))[0]!.pose!;
    expect((await pose()).keyframes.map((k) => k.time)).toEqual([0.5]);
    // K at 0 s is refused, in words.
    await holdAt(s.page, 0);
    await s.page.getByTestId('ruler').focus();
    await s.page.keyboard.press('k');
    await s.page.getByTestId('toast').filter({ hasText: 'move the playhead inside that time' }).waitFor();
    await settle(s.page);
    expect((await pose()).keyframes).toHaveLength(1);
    await screenshot(s.page, 'newcomer-pose-outside-time');
  });
});

describe('export paths in the export dialog (13.2)', () => {
  async function exportWith(
    presetName: RegExp,
    path: string,
  ): Promise<{ path: string; notice: string | null }> {
    await s.page.keyboard.press('Control+e');
    const dialog = s.page.getByRole('dialog', { name: 'Export a clip' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: presetName }).check();
    await dialog.getByRole('textbox').fill(path);
    await dialog.getByRole('button', { name: 'Export' }).click();
    await dialog.getByTestId('export-done').waitFor();
    const written = (await dialog.getByTestId('export-path').textContent())!.trim();
    const note = dialog.getByTestId('export-notice');
    const notice = (await note.count()) > 0 ? (await note.textContent())!.trim() : null;
    await screenshot(s.page, `newcomer-export-${written.split('/').pop()}`);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    return { path: written, notice };
  }

  it('makes the default export folder when it is missing', async () => {
    await rm(s.exportDir, { recursive: true, force: true });
    const result = await exportWith(/GIF/, '');
    expect(result.path).toBe(join(s.exportDir, 'astronaut-gif.gif'));
    expect((await probeClip(result.path)).codec).toBe('gif');
  });

  it('writes ProRes typed as .mp4 under .mov, and says so', async () => {
    const result = await exportWith(/ProRes 422 HQ/, join(s.exportDir, 'take.mp4'));
    expect(result.path).toBe(join(s.exportDir, 'take.mov'));
    expect(result.notice).toContain('take.mp4 was saved as take.mov');
    expect((await probeClip(result.path)).codec).toBe('prores');
    expect(existsSync(join(s.exportDir, 'take.mp4'))).toBe(false);
  });

  it('gives a clip typed into a new folder a name from the photo and preset', async () => {
    const result = await exportWith(/Web \(MP4\)/, `${join(s.exportDir, 'clips')}/`);
    expect(result.path).toBe(join(s.exportDir, 'clips', 'astronaut-web-mp4.mp4'));
    expect(readdirSync(join(s.exportDir, 'clips'))).toEqual(['astronaut-web-mp4.mp4']);
    expect((await probeClip(result.path)).codec).toBe('h264');
  });
});
