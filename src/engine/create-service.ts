// Assembles the engine service from its areas. Each area is a class implementing its slice of the
// contract; the type below fails to compile if a method of the contract has no implementation.
import type { StirService } from '../shared/index.js';
import { EventBus } from '../shared/rpc/event-bus.js';
import { createDispatcher, type Dispatch } from '../shared/rpc/dispatcher.js';
import { DocumentStore } from './documents.js';
import { JobManager, type JobManagerOptions } from './jobs/job-manager.js';
import type { EnginePorts } from './ports.js';
import type { SweepReport } from './system/leftovers.js';
import { CoreService } from './service.js';
import { ModelsService } from './models/install/service.js';
import { CatalogService } from './models/catalog-service.js';
import { catalogDir } from './models/catalog.js';
import { ProjectService } from './project/service.js';
import { PeopleService } from './people/service.js';

export interface EngineHandle {
  service: StirService;
  bus: EventBus;
  dispatch: Dispatch;
  jobs: JobManager;
  /** The start's sweep of temporary files earlier runs left (system/leftovers.ts), where there is one. */
  leftoversSwept?: Promise<SweepReport>;
  dispose(): Promise<void>;
}

/** The methods of an area, as plain own properties (so they survive a spread). */
type Bound<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] };

/** Binds every method of an area object to it, so the merged service can be called method by method. */
function bindMethods<T extends object>(area: T): Bound<T> {
  const bound: Record<string, unknown> = {};
  let proto: object | null = Object.getPrototypeOf(area) as object | null;
  while (proto && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const value = (area as Record<string, unknown>)[name];
      if (name !== 'constructor' && typeof value === 'function' && !(name in bound)) {
        bound[name] = (value as (...args: unknown[]) => unknown).bind(area);
      }
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return bound as Bound<T>;
}

export function createService(ports: EnginePorts, jobOptions: JobManagerOptions = {}): EngineHandle {
  const bus = new EventBus();
  const jobs = new JobManager(bus, jobOptions);
  const docs = new DocumentStore();
  const core = bindMethods(new CoreService(ports, bus, jobs, docs));
  const models = bindMethods(new ModelsService(ports.models, bus, jobs));
  const catalog = bindMethods(
    new CatalogService({
      dir: ports.catalogDir === undefined ? catalogDir() : ports.catalogDir,
      installedIds: async () => (ports.models ? (await models.listPacks({})).packs.map((p) => p.id) : []),
    }),
  );
  const projects = bindMethods(
    new ProjectService({
      docs,
      ports: ports.projects ?? null,
      publishDownload: ports.publishDownload,
      writtenFolders: ports.writtenFolders,
    }),
  );
  const people = bindMethods(new PeopleService(docs, ports.people ?? null));
  const service: StirService = { ...core, ...models, ...projects, ...people, ...catalog };
  return {
    service,
    bus,
    jobs,
    dispatch: createDispatcher(service),
    async dispose() {
      await jobs.cancelAll();
    },
  };
}
