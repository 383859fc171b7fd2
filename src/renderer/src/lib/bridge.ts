// Connects the editor to the engine: through the preload's bridge in Electron, or over a WebSocket to the
// local server in browser mode. Either way the editor gets the same typed client and a ShellApi.
import { createClient, type StirClient } from '@shared/index.js';
import type { ShellApi, StirBridge } from '../../../preload/api.js';
import { websocketTransport } from './transport/websocket.js';

declare global {
  interface Window {
    stir?: StirBridge;
  }
}

export interface Connection {
  client: StirClient;
  shell: ShellApi;
}

const browserShell: ShellApi = {
  kind: 'browser',
  platform: navigator.platform,
  pickOpenPath: async () => null,
  pickSavePath: async () => null,
  revealInFolder: async () => undefined,
  pathForFile: () => null,
  onMenuCommand: () => () => undefined,
};

export async function connect(): Promise<Connection> {
  if (window.stir) {
    const bridge = window.stir;
    return { client: createClient({ call: bridge.call, subscribe: bridge.subscribe }), shell: bridge.shell };
  }
  // Browser mode: the page is served from http://127.0.0.1:PORT/<token>/, the socket lives at <token>/ws.
  const url = new URL('ws', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const transport = websocketTransport(url.href);
  await transport.ready;
  return { client: createClient(transport), shell: browserShell };
}
