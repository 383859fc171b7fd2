// The main process's side of the engine host: starts the utilityProcess, forwards calls over a
// MessagePort, relays events to windows, and restarts the host if it dies (pending calls then fail with
// a clear error instead of hanging).
import { MessageChannelMain, utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import type { CallEnvelope, MethodName } from '../shared/index.js';
import type { EngineOptions } from '../engine/create-engine.js';
import type { HostInit, HostMessage, HostRequest } from './engine-host.js';

export class EngineHostClient {
  readonly #modulePath: string;
  readonly #options: EngineOptions;
  readonly #onEvent: (event: string, payload: unknown) => void;
  #child: UtilityProcess | null = null;
  #port: MessagePortMain | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, (envelope: CallEnvelope) => void>();
  #stopping = false;

  constructor(
    modulePath: string,
    options: EngineOptions,
    onEvent: (event: string, payload: unknown) => void,
  ) {
    this.#modulePath = modulePath;
    this.#options = options;
    this.#onEvent = onEvent;
  }

  start(): void {
    const child = utilityProcess.fork(this.#modulePath, [], { serviceName: 'Stir engine', stdio: 'inherit' });
    const { port1, port2 } = new MessageChannelMain();
    port1.on('message', (message) => this.#receive(message.data as HostMessage));
    port1.start();
    const init: HostInit = { options: this.#options };
    child.postMessage(init, [port2]);
    child.once('exit', (code) => {
      this.#failPending('The engine stopped unexpectedly.');
      this.#child = null;
      this.#port = null;
      if (!this.#stopping) {
        console.error(`stir: the engine host exited (${code}); restarting it`);
        this.start();
      }
    });
    this.#child = child;
    this.#port = port1;
  }

  call(method: MethodName, params: unknown): Promise<CallEnvelope> {
    const port = this.#port;
    if (!port) {
      return Promise.resolve({
        ok: false,
        error: { code: 'TRANSPORT_CLOSED', message: 'The engine is not running.' },
      });
    }
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      const request: HostRequest = { t: 'call', id, method, params };
      port.postMessage(request);
    });
  }

  stop(): void {
    this.#stopping = true;
    this.#port?.close();
    this.#child?.kill();
  }

  #receive(message: HostMessage): void {
    if (message.t === 'reply') {
      this.#pending.get(message.id)?.(message.envelope);
      this.#pending.delete(message.id);
    } else if (message.t === 'event') {
      this.#onEvent(message.event, message.payload);
    }
  }

  #failPending(reason: string): void {
    for (const resolve of this.#pending.values()) {
      resolve({
        ok: false,
        error: { code: 'TRANSPORT_CLOSED', message: reason, hint: 'Try again; Stir restarted its engine.' },
      });
    }
    this.#pending.clear();
  }
}
