// The one contract of Stir: every method the editor, the CLI and the tests can call on the engine, and
// every event the engine sends back. Adding a capability = adding it here, then to the engine, then to the
// UI. Each area keeps its schemas in its own file; this file only assembles them.
import { z } from 'zod';
import type { MethodSpec } from './define.js';
import { photoMethods } from './photo.js';
import { segmentMethods } from './segment.js';
import { regionMethods } from './regions.js';
import { jobMethods, JobFailedSchema, JobKindSchema, JobProgressSchema } from './jobs.js';
import { renderMethods, RenderFrameSchema, RenderResultSchema } from './render.js';
import { exportMethods, ExportResultSchema } from './export.js';
import { systemMethods } from './system.js';
import { projectMethods } from './project.js';
import { peopleMethods } from './people.js';
import { catalogMethods } from './catalog.js';
import {
  modelMethods,
  JobDeviceSchema,
  PackInstallProgressSchema,
  PackInstallResultSchema,
  PacksChangedSchema,
} from './models.js';

export const methods = {
  ...systemMethods,
  ...photoMethods,
  ...segmentMethods,
  ...regionMethods,
  ...renderMethods,
  ...exportMethods,
  ...jobMethods,
  ...modelMethods,
  ...projectMethods,
  ...peopleMethods,
  ...catalogMethods,
} satisfies Record<string, MethodSpec>;

/** What a finished job gives back, by kind. */
export const JobDoneSchema = z.discriminatedUnion('kind', [
  z.object({ jobId: z.string(), kind: z.literal('render'), result: RenderResultSchema }),
  z.object({ jobId: z.string(), kind: z.literal('export'), result: ExportResultSchema }),
  z.object({ jobId: z.string(), kind: z.literal('pack-install'), result: PackInstallResultSchema }),
]);
export type JobDone = z.infer<typeof JobDoneSchema>;

export const events = {
  jobProgress: JobProgressSchema,
  renderFrame: RenderFrameSchema,
  jobDone: JobDoneSchema,
  jobFailed: JobFailedSchema,
  packInstallProgress: PackInstallProgressSchema,
  packsChanged: PacksChangedSchema,
  jobDevice: JobDeviceSchema,
} satisfies Record<string, z.ZodType>;

export { JobKindSchema };

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;

export type ParamsIn<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParamsOut<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** What a caller sees: every method takes its params (defaults may be left out) and resolves to its result. */
export type StirApi = { [M in MethodName]: (params: ParamsIn<M>) => Promise<ResultOf<M>> };

/** What the engine implements: params arrive validated, with defaults filled in. */
export type StirService = { [M in MethodName]: (params: ParamsOut<M>) => Promise<ResultOf<M>> };

export type Unsubscribe = () => void;
export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

export interface StirEvents {
  on<E extends EventName>(event: E, listener: EventListener<E>): Unsubscribe;
}

export type StirClient = StirApi & StirEvents;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

export * from './photo.js';
export * from './segment.js';
export * from './regions.js';
export * from './jobs.js';
export * from './render.js';
export * from './export.js';
export * from './system.js';
export * from './project.js';
export * from './models.js';
export * from './catalog.js';
export * from './people.js';
