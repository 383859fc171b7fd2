// End-to-end harness: the real engine and the browser-mode server in this process (random port, a temporary
// data and export folder), Debian's chromium driven by playwright-core, and small helpers that act on the
// editor the way a person does (file inputs, clicks on photo pixels, keys) and read what it shows.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createEngine, projectsDirFor, type EngineHandle } from '../../src/engine/create-engine.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import { photoPath, type PhotoName } from '../helpers/photos.js';

export const STATIC_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../.scratch/editor/', import.meta.url));

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RecordedCall {
  method: string;
  params: unknown;
}

export interface EditorSession {
  browser: Browser;
  /** The editor's tab (a test may replace it with one from newPage). */
  page: Page;
  engine: EngineHandle;
  server: WebServer;
  /** The temporary folder: data/ (autosaves, recent list), exports/, projects/. */
  dir: string;
  dataDir: string;
  exportDir: string;
  /** Every contract call the page made, in order. */
  calls: RecordedCall[];
  /** Starts a new page on the same server (a reload after a "crash"). */
  newPage(viewport?: Viewport): Promise<Page>;
  close(): Promise<void>;
}

export interface Viewport {
  width: number;
  height: number;
}

export async function startEditor(
  options: {
    viewport?: Viewport;
    dir?: string;
    /** Folders the session may also read and write by path (`stir web --folder`); the temporary folder always. */
    folders?: readonly string[];
  } = {},
): Promise<EditorSession> {
  if (!existsSync(join(STATIC_DIR, 'index.html'))) {
    throw new Error('The editor is not built: run `npm run build:web` before the end-to-end tests.');
  }
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'stir-e2e-')));
  const dataDir = join(dir, 'data');
  const exportDir = join(dir, 'exports');
  await mkdir(exportDir, { recursive: true });
  const calls: RecordedCall[] = [];
  let server: WebServer | null = null;
  const engine = createEngine({
    dataDir,
    exportDir,
    publishDownload: (path) => server?.publishDownload(path) ?? null,
  });
  server = await startWebServer({
    staticDir: STATIC_DIR,
    bus: engine.bus,
    // As `stir web --folder DIR` would: the tests type paths in the temporary folder.
    folders: {
      exports: exportDir,
      projects: projectsDirFor(exportDir),
      chosen: [dir, ...(options.folders ?? [])],
    },
    dispatch: async (method, params) => {
      calls.push({ method: String(method), params });
      return engine.dispatch(method, params);
    },
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const url = server.url;
  const open = async (viewport: Viewport = options.viewport ?? { width: 1280, height: 800 }) => {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, acceptDownloads: true });
    const page = await context.newPage();
    // Locator waits (a toast, a dialog) wait on engine work too.
    page.setDefaultTimeout(ENGINE_WAIT_MS);
    page.on('pageerror', (error) => console.error('page error:', error));
    page.on('console', (message) => {
      if (message.type() === 'error') console.error('page console:', message.text());
    });
    await page.goto(url);
    await page.waitForSelector('.shell');
    return page;
  };
  const page = await open();
  const liveServer = server;
  return {
    browser,
    page,
    engine,
    server: liveServer,
    dir,
    dataDir,
    exportDir,
    calls,
    newPage: open,
    async close() {
      await browser.close();
      await liveServer.close();
      await engine.dispose();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What the editor exposes for tests (CanvasView's window.__stir.state()). */
export interface EditorState {
  docId: string | null;
  regions: Array<{
    id: string;
    name: string;
    visible: boolean;
    prompt: string;
    strength: number;
    direction: number | null;
    seed: number;
    start: number;
    end: number | null;
    clicks: number;
    box: boolean;
    /** Pixels inside the mask. */
    area: number;
    /** Pose keyframes. */
    pose: number;
    /** Motion guides (issue 13, point 5), as in the region's motion. */
    paths: Array<Array<{ x: number; y: number }>>;
    anchors: Array<{ x: number; y: number }>;
    freeze: Array<{ radius: number; erase: boolean; points: Array<{ x: number; y: number }> }>;
  }>;
  selectedId: string | null;
  hoverId: string | null;
  frame: number;
  frameCount: number;
  fresh: number;
  frames: number;
  playing: boolean;
  playedWhileRendering: boolean;
  rendering: boolean;
  lastPlan: { kind: string; regionIds?: string[] } | null;
  renders: number;
  longSide: number;
  dirty: boolean;
  busy: string | null;
  /** Edits the engine has not answered yet. */
  pending: number;
  canUndo: boolean;
  tool: string;
  /** Brush and eraser diameter in photo pixels. */
  brushSize: number;
}

/** The few page globals the helpers read (the tests compile without the DOM's types). */
interface CanvasLike {
  width: number;
  getBoundingClientRect(): { left: number; top: number; width: number };
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface PageGlobals {
  __stir?: {
    state(): EditorState;
    photoToClient(x: number, y: number): { x: number; y: number };
    zoom(): number;
    arrowHead(): { x: number; y: number } | null;
    poseJoints(): Array<{ x: number; y: number } | null>;
    hoverOutline(): HoverOutlineBox | null;
  };
  document: { querySelector(selector: string): CanvasLike | null };
}

export async function editorState(page: Page): Promise<EditorState> {
  return page.evaluate(() => {
    const hook = (globalThis as unknown as PageGlobals).__stir;
    if (!hook) throw new Error('the editor is not showing a photo');
    return hook.state();
  });
}

/**
 * How long a wait on engine work may take before it counts as stuck. Generous on purpose (issue 14.7):
 * on a machine whose cores are busy with other work a click's mask took 28 s, and the tests wait on
 * states, so a long limit costs nothing when things are quick.
 */
export const ENGINE_WAIT_MS = 120_000;

/** Waits until the editor's state passes a check (the check runs here, on a fresh state each time). */
export async function waitForState(
  page: Page,
  check: (state: EditorState) => boolean,
  what: string,
  timeoutMs = ENGINE_WAIT_MS,
): Promise<EditorState> {
  const deadline = Date.now() + timeoutMs;
  let last: EditorState | null = null;
  while (Date.now() < deadline) {
    last = await editorState(page).catch(() => null);
    if (last && check(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`Timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
}

export async function openPhoto(page: Page, name: PhotoName): Promise<EditorState> {
  return openPhotoFile(page, photoPath(name));
}

/** Opens any photo file (a hard photo, say) as the photo input does, and waits until it is open. */
export async function openPhotoFile(page: Page, path: string): Promise<EditorState> {
  const before = await page.evaluate(
    () => (globalThis as unknown as PageGlobals).__stir?.state().docId ?? null,
  );
  await page.setInputFiles('[data-testid="photo-input"]', path);
  await page.waitForSelector('.host canvas');
  return waitForState(
    page,
    (s) => s.docId !== null && s.docId !== before && s.busy === null,
    `${basename(path)} to open`,
  );
}

/** The canvas's zoom (screen pixels per photo pixel). */
export async function canvasZoom(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__stir!.zoom());
}

/** The direction arrow's head in photo pixels, or null. */
export async function arrowHead(page: Page): Promise<{ x: number; y: number } | null> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__stir!.arrowHead());
}

/** The hover outline shown before a click: its box in photo pixels and its share of the photo, or null. */
export interface HoverOutlineBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  share: number;
}

export async function hoverOutline(page: Page): Promise<HoverOutlineBox | null> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__stir!.hoverOutline());
}

/** The pose skeleton's joints as drawn at the playhead (photo pixels). */
export async function poseJoints(page: Page): Promise<Array<{ x: number; y: number } | null>> {
  return page.evaluate(() => [...(globalThis as unknown as PageGlobals).__stir!.poseJoints()]);
}

/** The colour of the canvas at a photo pixel (moved by dx, dy screen pixels), as shown. */
export async function canvasPixel(
  page: Page,
  x: number,
  y: number,
  dx = 0,
  dy = 0,
): Promise<[number, number, number]> {
  const base = await photoToPage(page, x, y);
  const at = { x: base.x + dx, y: base.y + dy };
  return page.evaluate((p) => {
    const canvas = (globalThis as unknown as PageGlobals).document.querySelector('canvas.lower-canvas')!;
    const rect = canvas.getBoundingClientRect();
    const scale = canvas.width / rect.width;
    const d = canvas
      .getContext('2d')!
      .getImageData(Math.round((p.x - rect.left) * scale), Math.round((p.y - rect.top) * scale), 1, 1).data;
    return [d[0]!, d[1]!, d[2]!] as [number, number, number];
  }, at);
}

/** Stops live re-rendering and playback, so the canvas shows only what edits change. */
export async function stillCanvas(page: Page): Promise<void> {
  const live = page.getByRole('checkbox', { name: 'Live preview' });
  if (await live.isChecked()) await live.uncheck();
  const state = await editorState(page).catch(() => null);
  if (state?.playing) await page.getByTestId('play').click();
}

/** Where a photo pixel is on the page. */
export async function photoToPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ([px, py]) => (globalThis as unknown as PageGlobals).__stir!.photoToClient(px!, py!),
    [x, y],
  );
}

export async function clickPhoto(
  page: Page,
  x: number,
  y: number,
  modifiers: Array<'Shift' | 'Alt'> = [],
): Promise<void> {
  const at = await photoToPage(page, x, y);
  for (const key of modifiers) await page.keyboard.down(key);
  await page.mouse.click(at.x, at.y);
  for (const key of modifiers) await page.keyboard.up(key);
}

/** Drags on the photo from one pixel to another in small steps, as a hand would. */
export async function dragPhoto(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  steps = 8,
): Promise<void> {
  const a = await photoToPage(page, from.x, from.y);
  const b = await photoToPage(page, to.x, to.y);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

/** Waits until a check on this side (the engine, the file system) passes. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = ENGINE_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Stops playback and puts the playhead on a frame, so times read afterwards are that frame's. */
export async function holdAt(page: Page, frame: number): Promise<void> {
  // A preview still rendering starts playing when its frames arrive: wait for it first, then stop.
  // Playback can start again by itself (frames of a render arriving): stop and step until it holds.
  for (let attempt = 0; ; attempt++) {
    const state = await waitForState(page, (st) => !st.rendering, 'the preview to finish rendering');
    if (state.playing) await page.getByTestId('play').click();
    await waitForState(page, (st) => !st.playing, 'playback to stop');
    if (frame === 0) await page.getByRole('button', { name: 'First frame' }).click();
    else {
      const ruler = page.getByTestId('ruler');
      await ruler.focus();
      await ruler.press('Home');
      for (let i = 0; i < frame; i++) await ruler.press('ArrowRight');
    }
    const now = await editorState(page);
    if ((now.frame === frame && !now.playing && !now.rendering) || attempt >= 20) break;
  }
  await waitForState(page, (st) => st.frame === frame && !st.playing, `frame ${frame}`);
}

/** Waits for the engine to finish what the last edit asked of it. */
export async function settle(page: Page): Promise<EditorState> {
  return waitForState(page, (s) => s.busy === null && s.pending === 0, 'the editor to be idle');
}

/** A digest of the canvas pixels over a photo area: changes when what is shown there changes. */
export async function canvasDigest(
  page: Page,
  area: { x: number; y: number; width: number; height: number },
): Promise<number> {
  const a = await photoToPage(page, area.x, area.y);
  const b = await photoToPage(page, area.x + area.width, area.y + area.height);
  return page.evaluate(
    ({ a, b }) => {
      const canvas = (globalThis as unknown as PageGlobals).document.querySelector('canvas.lower-canvas');
      if (!canvas) return -1;
      const rect = canvas.getBoundingClientRect();
      const sx = canvas.width / rect.width;
      const x = Math.round((a.x - rect.left) * sx);
      const y = Math.round((a.y - rect.top) * sx);
      const w = Math.max(1, Math.round((b.x - a.x) * sx));
      const h = Math.max(1, Math.round((b.y - a.y) * sx));
      const data = canvas.getContext('2d')!.getImageData(x, y, w, h).data;
      let hash = 0;
      for (let i = 0; i < data.length; i += 4)
        hash = (hash * 31 + data[i]! + data[i + 1]! * 7 + data[i + 2]! * 13) % 1_000_000_007;
      return hash;
    },
    { a, b },
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Methods the page called since `from` (an index into calls). */
export function callsSince(session: EditorSession, from: number, method?: string): RecordedCall[] {
  return session.calls.slice(from).filter((c) => method === undefined || c.method === method);
}

/** Drops a file on the editor window, as dragging it from a file manager does. */
export async function dropFile(page: Page, path: string, mime: string): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const { basename } = await import('node:path');
  const args = { b64: (await readFile(path)).toString('base64'), name: basename(path), mime };
  // A string, so this file compiles without the DOM's types; it runs in the page.
  await page.evaluate(`(() => {
    const args = ${JSON.stringify(args)};
    const binary = atob(args.b64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const data = new DataTransfer();
    data.items.add(new File([bytes], args.name, { type: args.mime }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      window.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  })()`);
}
