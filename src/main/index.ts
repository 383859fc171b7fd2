// The Electron shell, kept thin: one window (sandboxed, context-isolated, no Node in the renderer), the
// menu, native dialogs, and the engine host. Every call from the renderer is checked (sender, method,
// payload) before it reaches the engine or a dialog; security.ts holds the checks.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type IpcMainInvokeEvent } from 'electron';
import { isMethodName, StirError, type CallEnvelope } from '../shared/index.js';
import { parseParams } from '../shared/rpc/validate.js';
import { IPC, PickOpenPathSchema, PickSavePathSchema, RevealPathSchema } from '../preload/api.js';
import { EngineHostClient } from './engine-client.js';
import { buildMenu } from './menu.js';
import {
  createAppPageCheck,
  denyAllPermissions,
  isEditorMainFrame,
  isExternalLinkAllowed,
} from './security.js';

const rendererUrl = process.env['ELECTRON_RENDERER_URL'];
const devServer = rendererUrl && !app.isPackaged ? rendererUrl : null;
const indexFile = join(import.meta.dirname, '../renderer/index.html');
const isAppPage = createAppPageCheck({ devUrl: devServer, indexFile });
let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    backgroundColor: '#16171a',
    title: 'Stir',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // https links open in the person's browser, never inside the editor; nothing else opens at all.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  if (devServer) void window.loadURL(devServer);
  else void window.loadFile(indexFile);
  return window;
}

/** Only the editor window's main frame, showing our own page, may call. */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  return isEditorMainFrame(event, mainWindow, isAppPage);
}

/** Parses a shell payload like `stir:call`'s params; a bad one is refused in words. */
function shellPayload<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    throw new StirError('BAD_REQUEST', `Invalid request to ${what}: ${where}${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

function refuse(message: string): CallEnvelope {
  return { ok: false, error: { code: 'UNAUTHORIZED', message } };
}

function registerIpc(engine: EngineHostClient): void {
  ipcMain.handle(IPC.call, async (event, method: unknown, params: unknown): Promise<CallEnvelope> => {
    if (!fromOurPage(event)) return refuse('Calls are accepted from the Stir window only.');
    if (!isMethodName(method))
      return {
        ok: false,
        error: { code: 'BAD_REQUEST', message: `There is no method called ${String(method)}.` },
      };
    try {
      parseParams(method, params);
    } catch (caught) {
      return { ok: false, error: StirError.fromCaught(caught).toPayload() };
    }
    return engine.call(method, params);
  });

  ipcMain.handle(IPC.pickOpenPath, async (event, raw: unknown) => {
    if (!fromOurPage(event) || !mainWindow) return null;
    const options = shellPayload(PickOpenPathSchema, raw, 'the open dialog');
    const result = await dialog.showOpenDialog(mainWindow, {
      title: options.title,
      filters: options.filters,
      properties: [options.folder === true ? 'openDirectory' : 'openFile'],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });

  ipcMain.handle(IPC.pickSavePath, async (event, raw: unknown) => {
    if (!fromOurPage(event) || !mainWindow) return null;
    const options = shellPayload(PickSavePathSchema, raw, 'the save dialog');
    const result = await dialog.showSaveDialog(mainWindow, {
      title: options.title,
      defaultPath: join(app.getPath('videos'), options.defaultName),
      filters: options.filters,
    });
    return result.canceled ? null : (result.filePath ?? null);
  });

  ipcMain.handle(IPC.revealInFolder, (event, raw: unknown) => {
    if (!fromOurPage(event)) return;
    shell.showItemInFolder(shellPayload(RevealPathSchema, raw, 'show in folder'));
  });
}

async function main(): Promise<void> {
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  const engine = new EngineHostClient(
    join(import.meta.dirname, 'engine-host.js'),
    {
      exportDir: app.getPath('videos'),
      dataDir: app.getPath('userData'),
      // The motion engine's render worker is bundled beside this file (electron.vite.config.ts).
      motionWorkerUrl: pathToFileURL(join(import.meta.dirname, 'motion-worker.js')).href,
      peopleWorkerUrl: pathToFileURL(join(import.meta.dirname, 'people-worker.js')).href,
    },
    (event, payload) => {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC.event, event, payload);
    },
  );
  engine.start();
  registerIpc(engine);
  Menu.setApplicationMenu(buildMenu(() => mainWindow));
  mainWindow = createWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => engine.stop());
}

void main();
