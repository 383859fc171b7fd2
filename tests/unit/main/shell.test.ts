// The Electron shell's security checklist (issue 14, point 5), on the shell's real code: src/main/index.ts is
// loaded with a recording stand-in for the electron module (the binary cannot run here), and the tests act
// as the renderer would: open links, ask for permissions, call over IPC from the right and the wrong frames.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../../src/preload/api.js';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

interface FakeWebContents {
  mainFrame: { url: string };
  openHandler: ((details: { url: string }) => { action: string }) | null;
  events: Map<string, (event: { preventDefault(): void }) => void>;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void;
  on(event: string, listener: (event: { preventDefault(): void }) => void): void;
  send(): void;
}

interface Recorder {
  packaged: boolean;
  windows: Array<{ webContents: FakeWebContents; loaded: string | null }>;
  handlers: Map<string, Handler>;
  opened: string[];
  revealed: string[];
  dialogs: unknown[];
  engineRequests: unknown[];
  permissionRequest:
    ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null;
  permissionCheck: ((...args: unknown[]) => boolean) | null;
}

const state = vi.hoisted(() => ({ current: null as Recorder | null }));

vi.mock('electron', () => {
  const rec = () => state.current!;
  const webContents = (): FakeWebContents => ({
    mainFrame: { url: '' },
    openHandler: null,
    events: new Map(),
    setWindowOpenHandler(handler) {
      this.openHandler = handler;
    },
    on(event, listener) {
      this.events.set(event, listener);
    },
    send() {},
  });
  class BrowserWindow {
    webContents = webContents();
    loaded: string | null = null;
    constructor() {
      rec().windows.push(this);
    }
    once() {}
    show() {}
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
    loadFile(file: string) {
      this.loaded = pathToFileURL(file).href;
      return Promise.resolve();
    }
    static getAllWindows() {
      return rec().windows;
    }
  }
  return {
    app: {
      get isPackaged() {
        return rec().packaged;
      },
      whenReady: () => Promise.resolve(),
      getPath: (name: string) => `/home/someone/${name}`,
      on() {},
      quit() {},
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, handler: Handler) => rec().handlers.set(channel, handler) },
    dialog: {
      showOpenDialog: async (_window: unknown, options: unknown) => {
        rec().dialogs.push(options);
        return { canceled: false, filePaths: ['/home/someone/Pictures/cat.jpg'] };
      },
      showSaveDialog: async (_window: unknown, options: unknown) => {
        rec().dialogs.push(options);
        return { canceled: false, filePath: '/home/someone/Videos/cat.mp4' };
      },
    },
    shell: {
      openExternal: async (url: string) => void rec().opened.push(url),
      showItemInFolder: (path: string) => void rec().revealed.push(path),
    },
    Menu: { setApplicationMenu() {}, buildFromTemplate: (template: unknown) => ({ template }) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Recorder['permissionRequest']) => {
          rec().permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: Recorder['permissionCheck']) => {
          rec().permissionCheck = handler;
        },
      },
    },
    utilityProcess: { fork: () => ({ postMessage() {}, once() {}, on() {}, kill() {} }) },
    MessageChannelMain: class {
      port1 = {
        on() {},
        start() {},
        close() {},
        postMessage: (message: unknown) => void rec().engineRequests.push(message),
      };
      port2 = {};
    },
  };
});

const INDEX_URL = pathToFileURL(
  join(fileURLToPath(new URL('../../../src/renderer/index.html', import.meta.url))),
).href;

/** Loads the shell afresh (packaged, or in development against a dev server) and waits for its window. */
async function loadShell(options: { devUrl?: string } = {}): Promise<Recorder> {
  const rec: Recorder = {
    packaged: options.devUrl === undefined,
    windows: [],
    handlers: new Map(),
    opened: [],
    revealed: [],
    dialogs: [],
    engineRequests: [],
    permissionRequest: null,
    permissionCheck: null,
  };
  state.current = rec;
  if (options.devUrl) process.env['ELECTRON_RENDERER_URL'] = options.devUrl;
  else delete process.env['ELECTRON_RENDERER_URL'];
  vi.resetModules();
  await import('../../../src/main/index.js');
  await vi.waitFor(() => expect(rec.windows).toHaveLength(1));
  const window = rec.windows[0]!;
  window.webContents.mainFrame.url = window.loaded!;
  return rec;
}

/** An IPC event from the editor's main frame, or from something pretending to be it. */
function eventFrom(rec: Recorder, frame: { url: string } = rec.windows[0]!.webContents.mainFrame) {
  return { sender: rec.windows[0]!.webContents, senderFrame: frame };
}

async function invoke(rec: Recorder, channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
  return rec.handlers.get(channel)!(event, ...args);
}

afterEach(() => {
  delete process.env['ELECTRON_RENDERER_URL'];
});

describe('links', () => {
  it('opens only https links in the browser, and nothing inside the app', async () => {
    const rec = await loadShell();
    const open = rec.windows[0]!.webContents.openHandler!;
    for (const url of [
      'https://github.com/stir-app/packs',
      'http://example.com/',
      'file:///etc/passwd',
      'smb://server/share',
      'javascript:alert(1)',
      'ms-settings:privacy',
      'https://user:secret@example.com/',
      'not a url',
    ]) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(rec.opened).toEqual(['https://github.com/stir-app/packs']);
    let prevented = 0;
    rec.windows[0]!.webContents.events.get('will-navigate')!({ preventDefault: () => void prevented++ });
    rec.windows[0]!.webContents.events.get('will-attach-webview')!({
      preventDefault: () => void prevented++,
    });
    expect(prevented).toBe(2);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', async () => {
    const rec = await loadShell();
    expect(rec.permissionRequest).not.toBeNull();
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      let answer: boolean | null = null;
      rec.permissionRequest!({}, permission, (granted) => (answer = granted));
      expect(answer, permission).toBe(false);
    }
    expect(rec.permissionCheck!({}, 'media', INDEX_URL, {})).toBe(false);
  });
});

describe('IPC senders', () => {
  it('takes calls from the main frame of the packaged page only', async () => {
    const rec = await loadShell();
    expect(rec.windows[0]!.loaded).toBe(INDEX_URL);
    void invoke(rec, IPC.call, eventFrom(rec), 'listEngines', {});
    expect(rec.engineRequests).toHaveLength(1);

    const refusals = [
      // A frame inside the page, at the very same URL.
      eventFrom(rec, { url: INDEX_URL }),
      // Any other file: the main frame navigated elsewhere on disk.
      eventFrom(rec, Object.assign(rec.windows[0]!.webContents.mainFrame, { url: 'file:///tmp/evil.html' })),
      // Another window's contents.
      { sender: { mainFrame: { url: INDEX_URL } }, senderFrame: { url: INDEX_URL } },
    ];
    for (const event of refusals) {
      const envelope = await invoke(rec, IPC.call, event, 'listEngines', {});
      expect(envelope).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(await invoke(rec, IPC.pickOpenPath, event, { title: 'x', filters: [] })).toBeNull();
    }
    expect(rec.engineRequests).toHaveLength(1);
    expect(rec.dialogs).toHaveLength(0);
  });

  it('compares the dev server origin exactly', async () => {
    const rec = await loadShell({ devUrl: 'http://localhost:5173' });
    expect(rec.windows[0]!.loaded).toBe('http://localhost:5173');
    const frame = rec.windows[0]!.webContents.mainFrame;
    for (const url of [
      'http://localhost:51730/',
      'http://localhost:5173.evil.example/',
      'https://localhost:5173/',
      INDEX_URL,
    ]) {
      frame.url = url;
      const envelope = await invoke(rec, IPC.call, eventFrom(rec), 'listEngines', {});
      expect(envelope, url).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    frame.url = 'http://localhost:5173/index.html';
    void invoke(rec, IPC.call, eventFrom(rec), 'listEngines', {});
    expect(rec.engineRequests).toHaveLength(1);
  });
});

describe('shell payloads', () => {
  it('validates the dialogs and reveal-in-folder like stir:call', async () => {
    const rec = await loadShell();
    const event = eventFrom(rec);
    const bad = [
      [IPC.pickOpenPath, null],
      [IPC.pickOpenPath, { title: 'x', filters: [{ name: 'All', extensions: ['*', '../x'] }] }],
      [IPC.pickOpenPath, { title: 'x', filters: [], properties: ['multiSelections'] }],
      [IPC.pickSavePath, { title: 'x', defaultName: '../../.bashrc', filters: [] }],
      [IPC.pickSavePath, { title: 'x', defaultName: '..', filters: [] }],
      [IPC.revealInFolder, 'relative/clip.mp4'],
      [IPC.revealInFolder, { path: '/tmp' }],
      [IPC.revealInFolder, '/tmp/clip\0.mp4'],
    ] as const;
    for (const [channel, payload] of bad) {
      const error = await Promise.resolve(invoke(rec, channel, event, payload)).then(
        () => null,
        (e: unknown) => e as { code?: string },
      );
      expect(error?.code, `${channel} ${JSON.stringify(payload)}`).toBe('BAD_REQUEST');
    }
    expect(rec.dialogs).toHaveLength(0);
    expect(rec.revealed).toHaveLength(0);

    const filters = [{ name: 'Photos', extensions: ['jpg', 'png'] }];
    expect(await invoke(rec, IPC.pickOpenPath, event, { title: 'Open a photo', filters })).toBe(
      '/home/someone/Pictures/cat.jpg',
    );
    expect(
      await invoke(rec, IPC.pickSavePath, event, { title: 'Export', defaultName: 'cat.mp4', filters: [] }),
    ).toBe('/home/someone/Videos/cat.mp4');
    expect(rec.dialogs).toEqual([
      { title: 'Open a photo', filters, properties: ['openFile'] },
      { title: 'Export', defaultPath: join('/home/someone/videos', 'cat.mp4'), filters: [] },
    ]);
    await invoke(rec, IPC.revealInFolder, event, '/home/someone/Videos/cat.mp4');
    expect(rec.revealed).toEqual(['/home/someone/Videos/cat.mp4']);
  });
});
