// Issue 2's path through the editor in a browser: open a photo, click a region, type a motion word, watch
// the preview play in place, export an MP4 that ffprobe decodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickPhoto,
  editorState,
  screenshot,
  settle,
  startEditor,
  waitForState,
  type EditorSession,
} from './harness.js';
import { probeClip, sampleOverTime } from './helpers.js';

let s: EditorSession;
beforeAll(async () => {
  s = await startEditor();
});
afterAll(async () => {
  await s?.close();
});

describe('photo -> click -> motion word -> preview -> clip', () => {
  it('opens a photo from the Open button', async () => {
    const chooser = s.page.waitForEvent('filechooser');
    await s.page.getByRole('button', { name: 'Open a photo…' }).click();
    await (await chooser).setFiles(new URL('../../examples/photos/chelsea.png', import.meta.url).pathname);
    const state = await waitForState(s.page, (st) => st.docId !== null, 'the photo to open');
    expect(state.regions).toEqual([]);
    await expect(s.page.getByText('chelsea.png', { exact: true })).toBeTruthy();
  });

  it('makes a region where the photo is clicked, with a coloured overlay', async () => {
    await clickPhoto(s.page, 225, 150); // the cat
    const state = await waitForState(s.page, (st) => st.regions.length === 1, 'a region from the click');
    const region = state.regions[0]!;
    expect(region.clicks).toBe(1);
    expect(region.area).toBeGreaterThan(100);
    expect(state.selectedId).toBe(region.id);
    const engineRegions = await s.engine.service.listRegions({ docId: state.docId! });
    expect(engineRegions.map((r) => r.id)).toEqual([region.id]);
  });

  it('takes a typed motion word', async () => {
    const field = s.page.getByRole('combobox', { name: 'Motion' });
    await field.fill('ripple');
    await field.press('Enter');
    const state = await waitForState(s.page, (st) => st.regions[0]?.prompt === 'ripple', 'the motion word');
    await settle(s.page);
    const engineRegion = (await s.engine.service.listRegions({ docId: state.docId! }))[0]!;
    expect(engineRegion.motion.prompt).toBe('ripple');
  });

  it('plays the preview in place: the canvas pixels over the region change over time', async () => {
    await waitForState(s.page, (st) => st.frames === st.frameCount && !st.rendering, 'the preview to render');
    const state = await editorState(s.page);
    if (!state.playing) await s.page.getByTestId('play').click();
    const digests = await sampleOverTime(s.page, { x: 150, y: 60, width: 200, height: 180 });
    expect(new Set(digests).size).toBeGreaterThan(2);
    const later = await editorState(s.page);
    expect(later.playing).toBe(true);
    await screenshot(s.page, 'walking-skeleton-preview');
  });

  it('exports an MP4 that ffprobe decodes: H.264, yuv420p, even size, every frame', async () => {
    await s.page.getByRole('button', { name: 'Export', exact: true }).click();
    await s.page
      .getByRole('dialog', { name: 'Export a clip' })
      .getByRole('button', { name: 'Export' })
      .click();
    const dialog = s.page.getByRole('dialog', { name: 'Export a clip' });
    await dialog.locator('[data-testid="export-done"], .failed').first().waitFor({ timeout: 90_000 });
    expect(await dialog.locator('.failed').allTextContents()).toEqual([]);
    const path = (await s.page.getByTestId('export-path').textContent())?.trim() ?? '';
    expect(path.startsWith(s.exportDir)).toBe(true);
    const clip = await probeClip(path);
    expect(clip).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', frames: 72 });
    expect(clip.width % 2).toBe(0);
    expect(clip.height % 2).toBe(0);
    expect(clip.width).toBeGreaterThanOrEqual(448);
    // Browser mode offers the file for download.
    const link = s.page.getByRole('link', { name: 'Download' });
    expect(await link.getAttribute('href')).toContain('/download/');
    await s.page.getByRole('button', { name: 'Done' }).click();
  });
});
