// Issue 5, point 8: the look. Screenshots at 1280x800 and 2560x1440 (read by a person, .scratch/editor/);
// nothing overflows; nothing moves when jobs, banners and toasts come and go; every control has a name;
// the keyboard reaches everything, the canvas included. Also writes the README's screenshot candidate.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callsSince,
  clickPhoto,
  editorState,
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

const AREAS = [
  '.shell > .top',
  '.shell > .tools',
  '.shell > .stage',
  '.shell > .panel',
  '.shell > .timeline',
  '.shell > .status',
];

async function layout(page: Page): Promise<Record<string, number[]>> {
  const boxes: Record<string, number[]> = {};
  for (const selector of AREAS) {
    const box = (await page.locator(selector).boundingBox())!;
    boxes[selector] = [box.x, box.y, box.width, box.height].map((v) => Math.round(v));
  }
  return boxes;
}

/** Elements whose content is wider than they are (text cut off, controls pushed out). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1 || doc.scrollHeight > doc.clientHeight + 1) out.push('page');
    for (const selector of ['.top .bar', '.tools .strip', '.timeline .head', '.status .status', '.panel .regions header', '.options']) {
      for (const el of document.querySelectorAll(selector)) if (el.scrollWidth > el.clientWidth + 1) out.push(selector);
    }
    return out;
  })()`);
}

/** Visible controls that have no accessible name. */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const name = (el) => {
      const labelledBy = el.getAttribute('aria-labelledby');
      if (labelledBy) return labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
      if (el.labels && el.labels.length > 0) return [...el.labels].map((l) => l.textContent).join(' ').trim();
      if (el.closest('label')) return el.closest('label').textContent.trim();
      return (el.textContent || el.getAttribute('title') || '').trim();
    };
    const controls = document.querySelectorAll('button, a[href], input:not([type=file]), select, textarea, [role=slider], [role=combobox], [role=radio], [role=option]');
    return [...controls].filter((el) => el.getClientRects().length > 0 && !name(el)).map((el) => el.outerHTML.slice(0, 120));
  })()`);
}

async function focusedName(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    const label = el.labels && el.labels.length > 0 ? el.labels[0].textContent : '';
    return (el.getAttribute('aria-label') || label || el.textContent || el.getAttribute('title') || el.tagName).trim().slice(0, 40);
  })()`);
}

async function areaOfFocus(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const el = document.activeElement;
    for (const area of ${JSON.stringify(AREAS)}) if (el && el.closest(area)) return area;
    return '';
  })()`);
}

describe('the look', () => {
  it('has a calm start screen at both sizes', async () => {
    await screenshot(s.page, 'look-start-1280x800');
    expect(await overflowing(s.page)).toEqual([]);
    await s.page.setViewportSize({ width: 2560, height: 1440 });
    await screenshot(s.page, 'look-start-2560x1440');
    expect(await overflowing(s.page)).toEqual([]);
    await s.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows a photo with two regions and the preview playing, readable at both sizes', async () => {
    await openPhoto(s.page, 'coffee.png');
    await clickPhoto(s.page, 300, 110); // the coffee
    await waitForState(s.page, (st) => st.regions.length === 1, 'the coffee');
    const field = s.page.getByRole('combobox', { name: 'Motion' });
    await field.fill('swirl');
    await field.press('Enter');
    await settle(s.page);
    await s.page.keyboard.press('Escape');
    await clickPhoto(s.page, 480, 200); // the saucer's rim
    await waitForState(s.page, (st) => st.regions.length === 2, 'a second region');
    await settle(s.page);
    await waitForState(
      s.page,
      (st) => !st.rendering && st.frames === st.frameCount && st.playing,
      'the preview playing',
    );
    await s.page.getByRole('button', { name: /^Region 1:/ }).click();
    await s.page.mouse.move(5, 400);
    // The README's screenshot: a real photo, two regions, the preview playing.
    await screenshot(s.page, 'look-editor-1280x800');
    expect(await overflowing(s.page)).toEqual([]);
    await s.page.setViewportSize({ width: 2560, height: 1440 });
    await waitForState(
      s.page,
      (st) => !st.rendering && st.frames === st.frameCount,
      'the preview at the new size',
    );
    await screenshot(s.page, 'look-editor-2560x1440');
    expect(await overflowing(s.page)).toEqual([]);
    // Text is not smaller on the large screen (the editor scales up its type).
    const size = async () =>
      Number.parseFloat(await s.page.evaluate(`getComputedStyle(document.documentElement).fontSize`));
    const large = await size();
    await s.page.setViewportSize({ width: 1280, height: 800 });
    expect(large).toBeGreaterThan(await size());
  });

  it('does not move when jobs, banners and toasts come and go', async () => {
    const still = await layout(s.page);
    // A render (the job bar fills), an error banner, a toast.
    const from = s.calls.length;
    await s.page.getByRole('slider', { name: 'Strength' }).focus();
    await s.page.keyboard.press('PageUp');
    await waitForState(
      s.page,
      (st) => st.rendering || callsSince(s, from, 'startRender').length > 0,
      'a render',
    );
    expect(await layout(s.page)).toEqual(still);
    await s.page.keyboard.press('Control+e');
    const dialog = s.page.getByRole('dialog', { name: 'Export a clip' });
    await dialog.getByRole('textbox').fill('/no/such/folder/clip.mp4');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await s.page.getByTestId('error-banner').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await layout(s.page)).toEqual(still);
    await screenshot(s.page, 'look-error-1280x800');
    await s.page.keyboard.press('Control+s');
    await s.page.getByTestId('toast').first().waitFor();
    expect(await layout(s.page)).toEqual(still);
    await s.page.getByRole('button', { name: 'Dismiss the message' }).click();
  });

  it('gives every control a name, in the editor and in its dialogs', async () => {
    expect(await unnamedControls(s.page)).toEqual([]);
    await s.page.keyboard.press('Control+e');
    expect(await unnamedControls(s.page)).toEqual([]);
    await screenshot(s.page, 'look-export-1280x800');
    await s.page.keyboard.press('Escape');
    await s.page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await screenshot(s.page, 'look-help-1280x800');
    expect(await unnamedControls(s.page)).toEqual([]);
    await s.page.keyboard.press('Escape');
  });

  it('reaches the top bar, tools, canvas, panel and timeline in order with Tab, and makes a region from the keyboard', async () => {
    await s.page
      .locator('body')
      .click({ position: { x: 2, y: 2 } })
      .catch(() => undefined);
    await s.page.evaluate(`document.activeElement && document.activeElement.blur()`);
    const seen: string[] = [];
    const names: string[] = [];
    for (let i = 0; i < 80; i++) {
      await s.page.keyboard.press('Tab');
      const area = await areaOfFocus(s.page);
      names.push(await focusedName(s.page));
      if (area && seen.at(-1) !== area) seen.push(area);
    }
    expect(seen.slice(0, 5)).toEqual(AREAS.slice(0, 5));
    for (const name of ['Open photo', 'Click tool', 'Strength', 'Current frame'])
      expect(names.some((n) => n.startsWith(name))).toBe(true);
    const before = (await editorState(s.page)).regions.length;
    await s.page.locator('.host').focus();
    await s.page.keyboard.press('ArrowLeft'); // the cross appears at the centre, then moves left
    for (let i = 0; i < 10; i++) await s.page.keyboard.press('Shift+ArrowUp');
    await s.page.keyboard.press('Escape');
    await s.page.locator('.host').focus();
    await s.page.keyboard.press('Enter');
    await waitForState(s.page, (st) => st.regions.length === before + 1, 'a region from the keyboard');
  });
});
