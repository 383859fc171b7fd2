// The two sides of any transport (Electron IPC, WebSocket, in-process). A transport moves plain data;
// the client and the dispatcher add validation and types, so each transport stays a few lines of plumbing.
import type { ErrorPayload } from '../errors.js';
import type { MethodName, Unsubscribe } from '../contract/index.js';

/** The reply to one call, as it travels. */
export type CallEnvelope = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

export type RawEventListener = (event: string, payload: unknown) => void;

/** What a client needs from a transport. */
export interface ClientTransport {
  call(method: MethodName, params: unknown): Promise<CallEnvelope>;
  subscribe(listener: RawEventListener): Unsubscribe;
}
