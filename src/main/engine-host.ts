// The engine host: an Electron utilityProcess that runs src/engine (ONNX sessions, rendering, encoding)
// away from the main process, so the window never waits on engine work. It talks to the main process over
// a MessagePort: calls in, replies and events out, each as plain structured-clone data.
import { createEngine, type EngineOptions } from '../engine/create-engine.js';
import type { CallEnvelope } from '../shared/index.js';

export type HostMessage =
  | { t: 'reply'; id: number; envelope: CallEnvelope }
  | { t: 'event'; event: string; payload: unknown }
  | { t: 'ready' };

export type HostRequest = { t: 'call'; id: number; method: string; params: unknown };

export interface HostInit {
  options: EngineOptions;
}

process.parentPort.once('message', (init) => {
  const [port] = init.ports;
  if (!port) throw new Error('engine host started without a port');
  const { options } = init.data as HostInit;
  const engine = createEngine(options);
  const post = (message: HostMessage) => port.postMessage(message);

  engine.bus.subscribe((event, payload) => post({ t: 'event', event, payload }));
  port.on('message', (message) => {
    const request = message.data as HostRequest;
    if (request?.t !== 'call') return;
    void engine
      .dispatch(request.method, request.params)
      .then((envelope) => post({ t: 'reply', id: request.id, envelope }));
  });
  port.on('close', () => {
    void engine.dispose().finally(() => process.exit(0));
  });
  port.start();
  post({ t: 'ready' });
});
