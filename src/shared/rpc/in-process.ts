// The in-process transport (CLI, tests): the same dispatcher and client as over a wire, minus the wire.
import type { EventBus } from './event-bus.js';
import type { ClientTransport } from './transport.js';
import type { Dispatch } from './dispatcher.js';

export function inProcessTransport(dispatch: Dispatch, bus: EventBus): ClientTransport {
  return {
    call: (method, params) => dispatch(method, params),
    subscribe: (listener) => bus.subscribe((event, payload) => listener(event, payload)),
  };
}
