// The receiving side of every transport: validates a call, runs it on the service, and turns whatever
// happens into a CallEnvelope. Nothing thrown escapes as an exception across a process boundary.
import { StirError } from '../errors.js';
import type { StirService } from '../contract/index.js';
import type { CallEnvelope } from './transport.js';
import { assertMethodName, parseParams } from './validate.js';

export type Dispatch = (method: unknown, params: unknown) => Promise<CallEnvelope>;

export function createDispatcher(service: StirService): Dispatch {
  return async (method, params) => {
    try {
      const name = assertMethodName(method);
      const parsed = parseParams(name, params);
      const handler = service[name] as (p: unknown) => Promise<unknown>;
      const result = await handler.call(service, parsed);
      return { ok: true, result };
    } catch (caught) {
      const error = StirError.fromCaught(caught);
      if (error.code === 'INTERNAL') console.error('stir: internal error', caught);
      return { ok: false, error: error.toPayload() };
    }
  };
}
