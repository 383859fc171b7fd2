// The preload: exposes the contract's raw transport and the shell's dialogs to the sandboxed renderer as
// `window.stir`. Method names are checked here against the contract, and the main process validates every
// payload before it reaches the engine.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { isMethodName, type CallEnvelope, type RawEventListener } from '../shared/index.js';
import { IPC, MENU_COMMANDS, type MenuCommand, type StirBridge } from './api.js';

const bridge: StirBridge = {
  call(method, params) {
    if (!isMethodName(method)) {
      return Promise.resolve<CallEnvelope>({
        ok: false,
        error: { code: 'BAD_REQUEST', message: `There is no method called ${String(method)}.` },
      });
    }
    return ipcRenderer.invoke(IPC.call, method, params) as Promise<CallEnvelope>;
  },
  subscribe(listener: RawEventListener) {
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC.event, handler);
    return () => {
      ipcRenderer.removeListener(IPC.event, handler);
    };
  },
  shell: {
    kind: 'electron',
    platform: process.platform,
    pickOpenPath: (options) => ipcRenderer.invoke(IPC.pickOpenPath, options) as Promise<string | null>,
    pickSavePath: (options) => ipcRenderer.invoke(IPC.pickSavePath, options) as Promise<string | null>,
    revealInFolder: (path) => ipcRenderer.invoke(IPC.revealInFolder, path) as Promise<void>,
    pathForFile: (file) => webUtils.getPathForFile(file) || null,
    onMenuCommand(listener) {
      const handler = (_event: IpcRendererEvent, command: unknown) => {
        if (typeof command === 'string' && (MENU_COMMANDS as readonly string[]).includes(command))
          listener(command as MenuCommand);
      };
      ipcRenderer.on(IPC.menu, handler);
      return () => {
        ipcRenderer.removeListener(IPC.menu, handler);
      };
    },
  },
};

contextBridge.exposeInMainWorld('stir', bridge);
