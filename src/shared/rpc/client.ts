// A typed client over any transport: one generic proxy built from the contract, so no method is written
// by hand. Params are checked before they leave, results and events when they arrive.
import { StirError } from '../errors.js';
import {
  isEventName,
  methodNames,
  type EventListener,
  type EventName,
  type MethodName,
  type StirApi,
  type StirClient,
  type Unsubscribe,
} from '../contract/index.js';
import type { ClientTransport } from './transport.js';
import { parseEvent, parseParams, parseResult } from './validate.js';

export function createClient(transport: ClientTransport): StirClient {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let unsubscribeTransport: Unsubscribe | null = null;

  const ensureSubscribed = () => {
    if (unsubscribeTransport) return;
    unsubscribeTransport = transport.subscribe((event, payload) => {
      if (!isEventName(event)) return;
      const set = listeners.get(event);
      if (!set || set.size === 0) return;
      let parsed: unknown;
      try {
        parsed = parseEvent(event, payload);
      } catch (error) {
        console.error(error);
        return;
      }
      for (const listener of [...set]) listener(parsed);
    });
  };

  const call = async (method: MethodName, params: unknown): Promise<unknown> => {
    // Validate on the way out too, so a mistake is reported where it was made; the receiver validates again.
    parseParams(method, params);
    const envelope = await transport.call(method, params ?? {});
    if (!envelope.ok) throw StirError.fromPayload(envelope.error);
    return parseResult(method, envelope.result);
  };

  const api = Object.fromEntries(
    methodNames.map((name) => [name, (params: unknown) => call(name, params)]),
  ) as unknown as StirApi;

  const on = <E extends EventName>(event: E, listener: EventListener<E>): Unsubscribe => {
    ensureSubscribed();
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
    }
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  };

  return Object.assign(api, { on });
}
