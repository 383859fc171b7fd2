// Issue 5, point 3: the timeline. Duration, frame rate and loop mode; a frame ruler to scrub; play, pause
// and step; the current time; when each region starts and stops moving.
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
let docId = '';

beforeAll(async () => {
  s = await startEditor();
  docId = (await openPhoto(s.page, 'chelsea.png')).docId!;
  await clickPhoto(s.page, 225, 150);
  await waitForState(s.page, (st) => st.regions.length === 1, 'a region');
  await settle(s.page);
});
afterAll(async () => {
  await s?.close();
});

async function engineSettings() {
  // The engine's settings come back from an update with no change.
  return s.engine.service.updateSettings({ docId, patch: {} });
}

describe('clip settings', () => {
  it('sets the duration and frame rate, and the frame count follows', async () => {
    const duration = s.page.getByRole('spinbutton', { name: 'Duration' });
    await duration.fill('2');
    await duration.press('Enter');
    await waitForState(s.page, (st) => st.frameCount === 48, '48 frames');
    const fps = s.page.getByRole('spinbutton', { name: 'Frame rate' });
    await fps.fill('12');
    await fps.press('Enter');
    await waitForState(s.page, (st) => st.frameCount === 24, '24 frames');
    await s.page.getByText('frame 1 of 24').waitFor();
    await settle(s.page);
    expect(await engineSettings()).toMatchObject({ seconds: 2, fps: 12 });
  });

  it('switches the loop mode between loop, once and ping-pong', async () => {
    const group = s.page.getByRole('radiogroup', { name: 'Loop mode' });
    await group.getByRole('radio', { name: 'Once' }).click();
    expect(await group.getByRole('radio', { name: 'Once' }).getAttribute('aria-checked')).toBe('true');
    await settle(s.page);
    expect((await engineSettings()).loop).toBe('once');
    await group.getByRole('radio', { name: 'Ping-pong' }).click();
    await settle(s.page);
    expect((await engineSettings()).loop).toBe('pingpong');
    await group.getByRole('radio', { name: 'Loop' }).click();
    await settle(s.page);
    expect((await engineSettings()).loop).toBe('loop');
  });
});

describe('transport and ruler', () => {
  it('plays and pauses, and the current time moves while playing', async () => {
    await waitForState(s.page, (st) => st.frames === st.frameCount && !st.rendering, 'the preview');
    let state = await editorState(s.page);
    if (!state.playing) await s.page.getByRole('button', { name: 'Play' }).click();
    await waitForState(s.page, (st) => st.playing, 'playing');
    const t0 = await s.page.getByTestId('current-time').textContent();
    const f0 = (await editorState(s.page)).frame;
    await waitForState(s.page, (st) => st.frame !== f0, 'the playhead to move');
    expect(await s.page.getByTestId('current-time').textContent()).not.toBe(t0);
    await s.page.getByRole('button', { name: 'Pause' }).click();
    state = await waitForState(s.page, (st) => !st.playing, 'paused');
    await s.page.waitForTimeout(200);
    expect((await editorState(s.page)).frame).toBe(state.frame);
  });

  it('steps frame by frame and jumps to the ends', async () => {
    await s.page.getByRole('button', { name: 'First frame' }).click();
    await waitForState(s.page, (st) => st.frame === 0, 'frame 0');
    await s.page.getByRole('button', { name: 'Next frame' }).click();
    await s.page.getByRole('button', { name: 'Next frame' }).click();
    await waitForState(s.page, (st) => st.frame === 2, 'frame 2');
    await s.page.getByRole('button', { name: 'Previous frame' }).click();
    await waitForState(s.page, (st) => st.frame === 1, 'frame 1');
    await s.page.getByRole('button', { name: 'Last frame' }).click();
    await waitForState(s.page, (st) => st.frame === 23, 'the last frame');
    expect(await s.page.getByTestId('current-time').textContent()).toBe('0:01.92');
  });

  it('scrubs with the ruler, by pointer and by keys', async () => {
    const ruler = s.page.getByTestId('ruler');
    const box = (await ruler.boundingBox())!;
    await s.page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await s.page.mouse.down();
    await s.page.mouse.move(box.x + box.width * 0.5 + 1, box.y + box.height / 2, { steps: 5 });
    await s.page.mouse.up();
    const state = await waitForState(s.page, (st) => st.frame === 12, 'the middle frame');
    expect(state.playing).toBe(false);
    expect(await ruler.getAttribute('aria-valuenow')).toBe('13');
    await ruler.press('ArrowRight');
    await waitForState(s.page, (st) => st.frame === 13, 'one frame on');
    await ruler.press('Home');
    await waitForState(s.page, (st) => st.frame === 0, 'the start');
  });
});

describe('when a region moves', () => {
  it('sets the start and end of a region with its handles', async () => {
    const start = s.page.getByRole('slider', { name: /starts moving at/ });
    await start.focus();
    for (let i = 0; i < 6; i++) await start.press('ArrowRight');
    await waitForState(s.page, (st) => st.regions[0]?.start === 0.5, 'start at 0.5 s');
    const end = s.page.getByRole('slider', { name: /stops moving at/ });
    await end.focus();
    await end.press('Shift+ArrowLeft'); // ten frames
    await waitForState(s.page, (st) => st.regions[0]?.end === 1.167, 'end ten frames early');
    await settle(s.page);
    const [region] = await s.engine.service.listRegions({ docId });
    expect(region!.motion).toMatchObject({ start: 0.5, end: 1.167 });
    // The inspector shows the same numbers.
    expect(await s.page.getByRole('spinbutton', { name: 'Starts at' }).inputValue()).toBe('0.5');
  });
});
