// Issue 5, point 7: every long job shows its stage, progress and time left, and can be cancelled; a job
// that fails says what happened and what to do; nothing the person made is lost either way.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickPhoto,
  editorState,
  openPhoto,
  settle,
  startEditor,
  waitForState,
  type EditorSession,
} from './harness.js';

let s: EditorSession;

beforeAll(async () => {
  s = await startEditor();
  await openPhoto(s.page, 'rocket.jpg');
  await clickPhoto(s.page, 256, 320);
  await waitForState(s.page, (st) => st.regions.length === 1, 'a region');
  await settle(s.page);
});
afterAll(async () => {
  await s?.close();
});

async function openExport() {
  await s.page.keyboard.press('Control+e');
  const dialog = s.page.getByRole('dialog', { name: 'Export a clip' });
  await dialog.waitFor();
  return dialog;
}

describe('long jobs', () => {
  it('shows a preview render in the job bar, with a Cancel that stops it quietly', async () => {
    const duration = s.page.getByRole('spinbutton', { name: 'Duration' });
    await duration.fill('10');
    await duration.press('Enter');
    const job = s.page.locator('[data-testid="job"][data-kind="render"]');
    await job.waitFor({ timeout: 10_000 });
    expect(await job.getByRole('progressbar').getAttribute('aria-label')).toMatch(/^Preview: /);
    await s.page.getByRole('button', { name: 'Cancel Preview' }).click();
    await waitForState(s.page, (st) => !st.rendering, 'the render to stop');
    await job.waitFor({ state: 'detached' });
    expect(await s.page.getByTestId('error-banner').count()).toBe(0);
  });

  it('shows an export with its stage, percentage and time left, and cancelling leaves no file', async () => {
    const before = await editorState(s.page);
    const dialog = await openExport();
    await dialog.getByRole('radio', { name: /ProRes 422 HQ/ }).check();
    await dialog.getByRole('button', { name: 'Export' }).click();
    const job = s.page.locator('[data-testid="job"][data-kind="export"]');
    await job.waitFor();
    const bar = job.getByRole('progressbar');
    // Progress moves, with a stage in words, and a time left shows once there is enough to tell.
    let seenEta = false;
    let seenProgress = false;
    for (let i = 0; i < 100 && !(seenEta && seenProgress); i++) {
      const now = Number(await bar.getAttribute('aria-valuenow').catch(() => '0'));
      if (now > 0) seenProgress = true;
      if (
        /left|almost done/.test(
          (await job
            .locator('.eta')
            .textContent()
            .catch(() => '')) ?? '',
        )
      )
        seenEta = true;
      await s.page.waitForTimeout(100);
    }
    expect(seenProgress).toBe(true);
    expect(seenEta).toBe(true);
    expect((await job.locator('.stage').textContent())?.trim().length).toBeGreaterThan(0);
    await dialog.getByRole('button', { name: 'Cancel export' }).click();
    await job.waitFor({ state: 'detached', timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Export' }).waitFor();
    expect(await readdir(s.exportDir)).toEqual([]);
    expect(await s.page.getByTestId('error-banner').count()).toBe(0);
    const after = await editorState(s.page);
    expect(after.regions).toEqual(before.regions);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('says what went wrong and what to do when a job fails, and keeps the work', async () => {
    const before = await editorState(s.page);
    const dialog = await openExport();
    await dialog.getByRole('textbox').fill(join(s.dir, 'no-such-folder', 'clip.mp4'));
    await dialog.getByRole('button', { name: 'Export' }).click();
    const banner = s.page.getByTestId('error-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.locator('.message').textContent()).toContain('does not exist');
    expect((await banner.locator('.hint').textContent())?.length).toBeGreaterThan(5);
    expect(await dialog.locator('.failed').textContent()).toContain('Your project is unchanged');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await banner.getByRole('button', { name: 'Dismiss the message' }).click();
    await banner.waitFor({ state: 'detached' });
    const after = await editorState(s.page);
    expect(after.regions).toEqual(before.regions);
    expect(after.dirty).toBe(before.dirty);
  });
});
