// Issue 5, point 6: projects. Open photos and projects (button, file input, drag-and-drop), save and save
// as (.stir, with a download link in browser mode), new, recent projects, autosave and recovery after the
// editor goes away, undo and redo of every kind of edit (the engine follows), the shortcuts help panel.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callsSince,
  clickPhoto,
  dropFile,
  editorState,
  settle,
  startEditor,
  waitForState,
  waitUntil,
  type EditorSession,
  type EditorState,
} from './harness.js';
import { photoPath } from '../helpers/photos.js';

let s: EditorSession;

beforeAll(async () => {
  s = await startEditor();
});
afterAll(async () => {
  await s?.close();
});

/** The regions as the engine holds them, in the editor's terms. */
async function engineView(state: EditorState) {
  const regions = await s.engine.service.listRegions({ docId: state.docId! });
  return regions.map((r) => [r.id, r.name, r.visible, r.motion.strength]);
}
const uiView = (state: EditorState) => state.regions.map((r) => [r.id, r.name, r.visible, r.strength]);

async function title(page: Page): Promise<string> {
  return page.title();
}

describe('projects', () => {
  let savedPath = '';
  let savedRegions: unknown[] = [];

  it('opens a photo dropped on the window', async () => {
    await dropFile(s.page, photoPath('coffee.png'), 'image/png');
    const state = await waitForState(s.page, (st) => st.docId !== null, 'the dropped photo');
    expect(state.regions).toEqual([]);
    expect(await title(s.page)).toContain('coffee.png');
  });

  it('undoes and redoes every kind of edit, and the engine follows each step', async () => {
    const snapshots: Array<{ ui: unknown; engine: unknown }> = [];
    const record = async () => {
      await settle(s.page);
      const state = await editorState(s.page);
      snapshots.push({ ui: uiView(state), engine: await engineView(state) });
    };
    await record();
    await clickPhoto(s.page, 300, 200); // the cup
    await waitForState(s.page, (st) => st.regions.length === 1, 'a region');
    await record();
    await s.page.keyboard.press('F2');
    await s.page.getByRole('textbox', { name: /New name for/ }).fill('Cup');
    await s.page.keyboard.press('Enter');
    await waitForState(s.page, (st) => st.regions[0]?.name === 'Cup', 'the name');
    await record();
    const slider = s.page.getByRole('slider', { name: 'Strength' });
    await slider.focus();
    await slider.press('PageUp');
    await slider.press('PageUp'); // two presses, one step (a slider's run merges)
    await s.page.getByTestId('ruler').focus();
    await record();
    await s.page.keyboard.press('Shift+H');
    await waitForState(s.page, (st) => st.regions[0]?.visible === false, 'hidden');
    await record();
    await s.page.keyboard.press('Shift+H');
    await record();
    await s.page.keyboard.press('Escape');
    await clickPhoto(s.page, 500, 360);
    await waitForState(s.page, (st) => st.regions.length === 2, 'a second region');
    await record();
    await s.page.keyboard.press('Control+[');
    await waitForState(s.page, (st) => st.regions[0]?.name !== 'Cup', 'reordered');
    await record();
    await s.page.keyboard.press('Delete');
    await waitForState(s.page, (st) => st.regions.length === 1, 'deleted');
    await record();
    snapshots.forEach((snap, i) => expect(snap.engine, `engine at step ${i}`).toEqual(snap.ui));

    for (let i = snapshots.length - 2; i >= 0; i--) {
      await s.page.keyboard.press('Control+z');
      await settle(s.page);
      const state = await editorState(s.page);
      expect(uiView(state), `after undo to step ${i}`).toEqual(snapshots[i]!.ui);
      expect(await engineView(state), `engine after undo to step ${i}`).toEqual(snapshots[i]!.engine);
    }
    expect((await editorState(s.page)).canUndo).toBe(false);
    for (let i = 1; i < snapshots.length; i++) await s.page.keyboard.press('Control+Shift+Z');
    await settle(s.page);
    const end = await editorState(s.page);
    expect(uiView(end)).toEqual(snapshots.at(-1)!.ui);
    expect(await engineView(end)).toEqual(snapshots.at(-1)!.engine);
  });

  it('saves (Ctrl+S) into the projects folder with a download link, and the title drops "Edited"', async () => {
    expect((await editorState(s.page)).dirty).toBe(true);
    await s.page.keyboard.press('Control+s');
    const toast = s.page.getByTestId('toast').filter({ hasText: 'Saved to' });
    await toast.waitFor();
    savedPath = (await toast.textContent())!.match(/Saved to (.+\.stir)/)![1]!;
    expect(existsSync(savedPath)).toBe(true);
    expect(await toast.getByRole('link', { name: 'Download' }).getAttribute('href')).toContain('/download/');
    await waitForState(s.page, (st) => !st.dirty, 'clean');
    expect(await s.page.getByText('Edited').count()).toBe(0);
    savedRegions = uiView(await editorState(s.page));
  });

  it('saves as another file through the Save As dialog', async () => {
    await s.page.keyboard.press('Control+Shift+S');
    const dialog = s.page.getByRole('dialog', { name: 'Save the project as' });
    await dialog.getByRole('textbox').fill(join(s.dir, 'mine.stir'));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await s.page.getByTestId('toast').filter({ hasText: 'mine.stir' }).waitFor();
    expect(existsSync(join(s.dir, 'mine.stir'))).toBe(true);
    expect(await s.page.locator('.title .name').textContent()).toBe('mine.stir');
  });

  it('asks before leaving unsaved changes, starts a new project, and reopens a recent one', async () => {
    const state = await editorState(s.page);
    await s.page.getByRole('button', { name: `Hide ${state.regions[0]!.name}` }).click();
    await s.page.getByRole('button', { name: 'New', exact: true }).click();
    const ask = s.page.getByRole('dialog', { name: 'Save your changes?' });
    await ask.getByRole('button', { name: "Don't save" }).click();
    await s.page.getByRole('heading', { name: 'Recent projects' }).waitFor();
    const recent = s.page.getByRole('region', { name: 'Recent projects' });
    expect(await recent.getByRole('button', { name: /^mine/ }).count()).toBe(1);
    await recent.getByRole('button', { name: /^mine/ }).click();
    const reopened = await waitForState(
      s.page,
      (st) => st.docId !== null && st.regions.length > 0,
      'the recent project',
    );
    expect(uiView(reopened).map((r) => r.slice(1))).toEqual(
      savedRegions.map((r) => (r as unknown[]).slice(1)),
    );
    expect(reopened.dirty).toBe(false);
  });

  it('opens a project dropped on the window, and one chosen in the project file input', async () => {
    await dropFile(s.page, savedPath, 'application/octet-stream');
    const dropped = await waitForState(
      s.page,
      (st) => st.regions.length === savedRegions.length && st.busy === null,
      'the dropped project',
    );
    const before = dropped.docId;
    await s.page.setInputFiles('[data-testid="project-input"]', join(s.dir, 'mine.stir'));
    const chosen = await waitForState(
      s.page,
      (st) => st.docId !== before && st.regions.length === savedRegions.length,
      'the chosen project',
    );
    expect(uiView(chosen).map((r) => r[1])).toEqual(savedRegions.map((r) => (r as unknown[])[1]));
  });

  it('offers autosaved work back after the editor went away, and recovers it', async () => {
    const state = await editorState(s.page);
    const from = s.calls.length;
    await s.page.getByRole('button', { name: new RegExp(`^${state.regions[0]!.name}:`) }).dblclick();
    await s.page.getByRole('textbox', { name: /New name for/ }).fill('Unsaved work');
    await s.page.keyboard.press('Enter');
    await waitForState(s.page, () => callsSince(s, from, 'autosaveProject').length > 0, 'an autosave');
    // The recovery copy is on disk before the tab goes.
    await waitUntil(
      async () => (await s.engine.service.listRecoveries({})).some((r) => r.name === 'coffee.png'),
      'the recovery copy',
    );
    // The tab is gone (a crash, a closed window); a new one opens on the same engine.
    await s.page.context().close();
    const page = await s.newPage();
    const dialog = page.getByRole('dialog', { name: 'Recover unsaved work?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('coffee.png');
    await dialog.getByRole('button', { name: 'Recover' }).first().click();
    const recovered = await waitForState(
      page,
      (st) => st.regions.some((r) => r.name === 'Unsaved work'),
      'the recovered work',
    );
    expect(recovered.dirty).toBe(true);
    s.page = page;
  });

  it('lists every shortcut in the help panel (?), and Escape closes it', async () => {
    await s.page.locator('.host').focus();
    await s.page.keyboard.press('?');
    const help = s.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    const text = (await help.textContent()) ?? '';
    for (const label of [
      'Undo',
      'Redo',
      'Brush: paint a region',
      'Play or pause the preview',
      'Save the project',
    ])
      expect(text).toContain(label);
    expect(await help.locator('kbd', { hasText: 'Ctrl+Z' }).count()).toBeGreaterThan(0);
    await s.page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });
});
