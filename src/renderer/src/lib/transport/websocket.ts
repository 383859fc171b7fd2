// Browser mode's transport: the contract over one WebSocket to the local engine server, whose address
// (token included) is the page's own. Replies are matched to calls by id; events fan out to listeners.
import {
  decodeFrame,
  encodeFrame,
  StirError,
  type ClientTransport,
  type CallEnvelope,
  type RawEventListener,
  type WireMessage,
} from '@shared/index.js';

export function websocketTransport(url: string): ClientTransport & { ready: Promise<void>; close(): void } {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const pending = new Map<number, (envelope: CallEnvelope) => void>();
  const listeners = new Set<RawEventListener>();
  let nextId = 1;

  const closedEnvelope = (): CallEnvelope => ({
    ok: false,
    error: {
      code: 'TRANSPORT_CLOSED',
      message: 'The connection to the Stir engine was lost.',
      hint: 'Check that `npm run web` is still running, then reload the page.',
    },
  });

  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () =>
        reject(
          new StirError('TRANSPORT_CLOSED', 'Cannot reach the Stir engine.', {
            hint: 'Is `npm run web` running?',
          }),
        ),
      { once: true },
    );
  });

  socket.addEventListener('message', (event: MessageEvent) => {
    let message: WireMessage;
    try {
      message = decodeFrame(new Uint8Array(event.data as ArrayBuffer)) as WireMessage;
    } catch (error) {
      console.error('stir: malformed message from the engine', error);
      return;
    }
    if (message.t === 'reply') {
      pending.get(message.id)?.(message.envelope as CallEnvelope);
      pending.delete(message.id);
    } else if (message.t === 'event') {
      for (const listener of [...listeners]) listener(message.event, message.payload);
    }
  });

  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve(closedEnvelope());
    pending.clear();
  });

  return {
    ready,
    async call(method, params) {
      await ready;
      if (socket.readyState !== WebSocket.OPEN) return closedEnvelope();
      const id = nextId++;
      return new Promise<CallEnvelope>((resolve) => {
        pending.set(id, resolve);
        socket.send(encodeFrame({ t: 'call', id, method, params }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      socket.close();
    },
  };
}
