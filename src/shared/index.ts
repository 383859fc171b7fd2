export * from './errors.js';
export * from './model.js';
export * from './format.js';
export * from './contract/index.js';
export { createClient } from './rpc/client.js';
export { runJob, type RunJobHandlers, type JobResult } from './rpc/run-job.js';
export type { ClientTransport, CallEnvelope, RawEventListener } from './rpc/transport.js';
export { encodeFrame, decodeFrame, type WireMessage } from './rpc/wire.js';
