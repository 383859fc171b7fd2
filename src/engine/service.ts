// The engine's core service: photos, segmentation, regions, render and export, system. Other areas
// (model packs, projects) are services of their own, merged with this one in create-service.ts. Every
// transport (Electron IPC, WebSocket, in-process) reaches them with params already validated.
import { dirname } from 'node:path';
import { checkExportTarget } from './export/staged-output.js';
import { prepareExportFolder, resolveExportTarget } from './export/target-path.js';
import { SUBJECT_MOTION, regionSubject } from './segment/region-subject.js';
import { defaultPeopleWord } from './people/people-words.js';
import {
  EXPORT_FORMAT_INFO,
  EXPORT_PRESETS,
  StirError,
  type ParamsOut,
  type ResultOf,
  type StirService,
  type Region,
  type Mask,
  type Click,
} from '../shared/index.js';
import type { EventBus } from '../shared/rpc/event-bus.js';
import { decodePhoto } from './image/decode.js';
import { encodeJpeg, encodePng } from './image/encode.js';
import { fitLongSide } from './image/types.js';
import type { DocumentStore, EngineDocument } from './documents.js';
import type { JobManager } from './jobs/job-manager.js';
import { scaledControl } from './jobs/scaled-control.js';
import { regionSpecs } from './render/regions.js';
import { MotionAnimation } from './motion/animation.js';
import { regionReach } from './motion/reach.js';
import { notesOf } from './motion/strength-note.js';
import type { EnginePorts } from './ports.js';

type P<M extends keyof StirService> = ParamsOut<M>;
type R<M extends keyof StirService> = Promise<ResultOf<M>>;

export type CoreMethod =
  | 'doctor'
  | 'listMotions'
  | 'resolveMotion'
  | 'listEngines'
  | 'openPhoto'
  | 'closeDocument'
  | 'segment'
  | 'hoverOutline'
  | 'createRegion'
  | 'updateRegion'
  | 'deleteRegion'
  | 'listRegions'
  | 'reorderRegions'
  | 'updateSettings'
  | 'startRender'
  | 'startExport'
  | 'listExportPresets'
  | 'cancelJob';

/** Quality of streamed preview frames: high enough to judge motion, small enough to stream live. */
const PREVIEW_JPEG_QUALITY = 85;

export class CoreService implements Pick<StirService, CoreMethod> {
  readonly #ports: EnginePorts;
  readonly #bus: EventBus;
  readonly #docs: DocumentStore;
  readonly jobs: JobManager;

  constructor(ports: EnginePorts, bus: EventBus, jobs: JobManager, docs: DocumentStore) {
    this.#ports = ports;
    this.#bus = bus;
    this.jobs = jobs;
    this.#docs = docs;
  }

  // --- system -------------------------------------------------------------------------------------

  async doctor(_params: P<'doctor'>): R<'doctor'> {
    return this.#ports.doctor();
  }

  async listMotions(_params: P<'listMotions'>): R<'listMotions'> {
    return this.#ports.vocabulary.list();
  }

  async resolveMotion(params: P<'resolveMotion'>): R<'resolveMotion'> {
    return this.#ports.vocabulary.resolve(params.prompt, params.engine);
  }

  async listEngines(_params: P<'listEngines'>): R<'listEngines'> {
    return this.#ports.engines.list();
  }

  // --- photos -------------------------------------------------------------------------------------

  async openPhoto(params: P<'openPhoto'>): R<'openPhoto'> {
    const decoded = await decodePhoto(params.source);
    const display =
      decoded.format === 'jpeg'
        ? { bytes: await encodeJpeg(decoded.image, 95), mime: 'image/jpeg' as const }
        : { bytes: await encodePng(decoded.image, 3), mime: 'image/png' as const };
    const doc = this.#docs.add({ name: decoded.name, format: decoded.format, photo: decoded.image, display });
    // Faces and bodies are looked for now, off the engine's thread, so a click on a person or a people
    // motion finds them ready; a failure only means people are not recognised (issue 12, point 1).
    this.#ports.people?.find(doc.photo).catch(() => undefined);
    // The segmenter's per-photo work too, so the first click and the hover outline answer at once
    // (issue 13, point 1); a failure here is met again, and reported, on the first click.
    this.#ports.segmenters.prepare?.(doc.photo, doc.id).catch(() => undefined);
    return { ...this.#describe(doc), scaledFrom: decoded.scaledFrom };
  }

  async closeDocument(params: P<'closeDocument'>): R<'closeDocument'> {
    this.#ports.segmenters.forget(params.docId);
    return { closed: this.#docs.delete(params.docId) };
  }

  #describe(doc: EngineDocument): ResultOf<'openPhoto'> {
    return {
      docId: doc.id,
      name: doc.name,
      width: doc.photo.width,
      height: doc.photo.height,
      format: doc.format,
      image: doc.display.bytes,
      imageMime: doc.display.mime,
      regions: doc.regions,
      settings: doc.settings,
      scaledFrom: null,
    };
  }

  // --- segmentation -------------------------------------------------------------------------------

  async segment(params: P<'segment'>): R<'segment'> {
    const doc = this.#docs.get(params.docId);
    const { width, height } = doc.photo;
    for (const click of params.clicks) assertInside(click, width, height);
    if (params.previous) assertMaskFits(params.previous, doc);
    if (!params.clicks.some((c) => c.positive) && !params.box && !params.previous) {
      throw new StirError('BAD_REQUEST', 'Click on the part of the photo you want to animate.', {
        hint: 'A negative click (Alt-click) only removes from a region that already exists.',
      });
    }
    const segmenter = await this.#ports.segmenters.get(doc.settings.packId);
    const started = performance.now();
    const output = await segmenter.segment(doc.photo, {
      clicks: params.clicks,
      box: params.box,
      previous: params.previous,
      photoKey: doc.id,
      hypothesis: params.hypothesis,
    });
    // What was clicked (or boxed) picks the new region's first motion word: a sky drifts, water flows.
    const box = params.box;
    const cues = params.clicks.some((c) => c.positive)
      ? params.clicks
      : box
        ? [{ x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2, positive: true }]
        : [];
    // A click the people detector answered is a person (a face included); a face starts smiling, a
    // person breathing, when the engine makes those words.
    const subject = output.people ? 'person' : regionSubject(doc.photo, output.mask, cues);
    const prompt =
      (output.people && defaultPeopleWord(output.people, doc.settings.engine)) || SUBJECT_MOTION[subject];
    return {
      mask: output.mask,
      score: output.score,
      segmenter: output.segmenter ?? segmenter.id,
      millis: performance.now() - started,
      hypotheses: output.hypotheses ?? 1,
      hypothesis: output.hypothesis ?? 0,
      suggestion: { subject, prompt },
    };
  }

  async hoverOutline(params: P<'hoverOutline'>): R<'hoverOutline'> {
    const doc = this.#docs.get(params.docId);
    assertInside({ ...params.point, positive: true }, doc.photo.width, doc.photo.height);
    if (!this.#ports.segmenters.hover) {
      throw new StirError('INTERNAL', 'This engine cannot outline what the pointer is over.');
    }
    const started = performance.now();
    const mask = await this.#ports.segmenters.hover(doc.photo, doc.id, params.point);
    return { mask, millis: performance.now() - started };
  }

  // --- regions ------------------------------------------------------------------------------------

  async createRegion(params: P<'createRegion'>): R<'createRegion'> {
    const doc = this.#docs.get(params.docId);
    assertMaskFits(params.region.mask, doc);
    for (const click of params.region.clicks) assertInside(click, doc.photo.width, doc.photo.height);
    const look = this.#docs.nextRegionLook(doc);
    const region: Region = {
      id: crypto.randomUUID(),
      name: params.region.name ?? look.name,
      color: params.region.color ?? look.color,
      visible: params.region.visible,
      clicks: params.region.clicks,
      box: params.region.box,
      mask: params.region.mask,
      motion: params.region.motion,
      pose: params.region.pose,
    };
    const index =
      params.index === undefined ? doc.regions.length : Math.min(params.index, doc.regions.length);
    doc.regions = [...doc.regions.slice(0, index), region, ...doc.regions.slice(index)];
    return region;
  }

  async updateRegion(params: P<'updateRegion'>): R<'updateRegion'> {
    const doc = this.#docs.get(params.docId);
    const current = this.#docs.region(doc, params.regionId);
    const { patch } = params;
    if (patch.mask) assertMaskFits(patch.mask, doc);
    for (const click of patch.clicks ?? []) assertInside(click, doc.photo.width, doc.photo.height);
    const motion = { ...current.motion };
    for (const [key, value] of Object.entries(patch.motion ?? {})) {
      if (value !== undefined) (motion as Record<string, unknown>)[key] = value;
    }
    const updated: Region = {
      ...current,
      ...definedOnly({
        name: patch.name,
        color: patch.color,
        visible: patch.visible,
        clicks: patch.clicks,
        mask: patch.mask,
      }),
      box: patch.box === undefined ? current.box : patch.box,
      pose: patch.pose === undefined ? current.pose : patch.pose,
      motion,
    };
    doc.regions = doc.regions.map((r) => (r.id === updated.id ? updated : r));
    return updated;
  }

  async deleteRegion(params: P<'deleteRegion'>): R<'deleteRegion'> {
    const doc = this.#docs.get(params.docId);
    const before = doc.regions.length;
    doc.regions = doc.regions.filter((r) => r.id !== params.regionId);
    return { deleted: doc.regions.length < before };
  }

  async listRegions(params: P<'listRegions'>): R<'listRegions'> {
    return this.#docs.get(params.docId).regions;
  }

  async reorderRegions(params: P<'reorderRegions'>): R<'reorderRegions'> {
    const doc = this.#docs.get(params.docId);
    const ids = new Set(doc.regions.map((r) => r.id));
    if (
      params.order.length !== ids.size ||
      !params.order.every((id) => ids.has(id)) ||
      new Set(params.order).size !== ids.size
    ) {
      throw new StirError('BAD_REQUEST', 'The new order must list every region of the photo exactly once.');
    }
    doc.regions = params.order.map((id) => this.#docs.region(doc, id));
    return doc.regions;
  }

  async updateSettings(params: P<'updateSettings'>): R<'updateSettings'> {
    const doc = this.#docs.get(params.docId);
    doc.settings = { ...doc.settings, ...definedOnly(params.patch) };
    return doc.settings;
  }

  // --- render and export --------------------------------------------------------------------------

  async startRender(params: P<'startRender'>): R<'startRender'> {
    const doc = this.#docs.get(params.docId);
    const settings = { ...doc.settings };
    const only = params.regionIds === null ? null : new Set(params.regionIds);
    const regions = regionSpecs(doc.regions).filter((region) => only === null || only.has(region.id));
    this.#ports.engines.check(settings, regions);
    const size = fitLongSide(doc.photo.width, doc.photo.height, params.previewLongSide);
    const bus = this.#bus;

    return this.jobs.start(
      'render',
      async (job) => {
        const started = performance.now();
        const engine = await this.#ports.engines.get(settings);
        const animation = await engine.prepare(
          { photo: doc.photo, regions, timing: settings, size, anchorFirstFrame: settings.anchorFirstFrame },
          scaledControl(job, 0, 0.3),
        );
        try {
          for await (const { index, image } of animation.frames({ signal: job.signal })) {
            const jpeg = await encodeJpeg(image, PREVIEW_JPEG_QUALITY);
            bus.emit('renderFrame', {
              jobId: job.jobId,
              index,
              frameCount: animation.frameCount,
              fps: animation.fps,
              width: image.width,
              height: image.height,
              image: jpeg,
              mime: 'image/jpeg',
            });
            job.progress('Rendering frames', 0.3 + (0.7 * (index + 1)) / animation.frameCount);
          }
        } finally {
          await animation.dispose();
        }
        return {
          frameCount: animation.frameCount,
          fps: animation.fps,
          width: animation.width,
          height: animation.height,
          engine: engine.id,
          millis: performance.now() - started,
          reach: animation instanceof MotionAnimation ? regionReach(animation.regions, doc.photo) : [],
          strengthNotes: animation instanceof MotionAnimation ? notesOf(animation.regions) : [],
        };
      },
      { group: `render:${doc.id}` },
    );
  }

  async startExport(params: P<'startExport'>): R<'startExport'> {
    const doc = this.#docs.get(params.docId);
    // The export's own frame rate (a preset's or an explicit one) renders the clip at that rate.
    const settings = { ...doc.settings, fps: params.fps ?? doc.settings.fps };
    const regions = regionSpecs(doc.regions);
    this.#ports.engines.check(settings, regions);
    // A folder gets a clip named after the photo and preset; the extension always matches the format.
    const target = await resolveExportTarget({
      requested: params.path,
      defaultFolder: this.#ports.exportDir,
      photoName: doc.name,
      format: params.format,
      preset: params.preset,
    });
    await prepareExportFolder(target);
    const path = target.path;
    await checkExportTarget(path, {
      folder: EXPORT_FORMAT_INFO[params.format].folder,
      overwrite: params.overwrite,
    });
    const size = fitLongSide(doc.photo.width, doc.photo.height, params.longSide);
    // Before any temporary file exists there, so a crash mid-export is swept at the next start.
    await this.#ports.writtenFolders?.remember(dirname(path));

    return this.jobs.start('export', async (job) => {
      const started = performance.now();
      const engine = await this.#ports.engines.get(settings);
      const animation = await engine.prepare(
        { photo: doc.photo, regions, timing: settings, size, anchorFirstFrame: settings.anchorFirstFrame },
        scaledControl(job, 0, 0.2),
      );
      try {
        const written = await this.#ports.exporter.export(
          animation,
          {
            format: params.format,
            path,
            overwrite: params.overwrite,
            quality: params.quality,
            loops: params.loops,
            pingPong: params.pingPong,
            matte: params.matte,
            mattes: regions.map((region) => region.mask),
          },
          scaledControl(job, 0.2, 1),
        );
        return {
          path: written.path,
          bytes: written.bytes,
          format: params.format,
          width: written.width ?? animation.width,
          height: written.height ?? animation.height,
          frameCount: written.frameCount ?? animation.frameCount,
          fps: written.fps ?? animation.fps,
          millis: performance.now() - started,
          downloadUrl: this.#ports.publishDownload?.(written.path) ?? null,
          mattePath: written.mattePath ?? null,
          notice: target.notice,
          strengthNotes: animation instanceof MotionAnimation ? notesOf(animation.regions) : [],
        };
      } finally {
        await animation.dispose();
      }
    });
  }

  async listExportPresets(_params: P<'listExportPresets'>): R<'listExportPresets'> {
    return [...EXPORT_PRESETS];
  }

  async cancelJob(params: P<'cancelJob'>): R<'cancelJob'> {
    return { cancelled: this.jobs.cancel(params.jobId) };
  }
}

function assertInside(click: Click, width: number, height: number): void {
  if (click.x < 0 || click.y < 0 || click.x >= width || click.y >= height) {
    throw new StirError(
      'CLICK_OUTSIDE_IMAGE',
      `The click at (${Math.round(click.x)}, ${Math.round(click.y)}) is outside the photo, which is ${width}x${height}.`,
      {
        hint: 'Click inside the photo: x from 0 to width-1, y from 0 to height-1.',
        details: { click, width, height },
      },
    );
  }
}

function assertMaskFits(mask: Mask, doc: EngineDocument): void {
  if (mask.width !== doc.photo.width || mask.height !== doc.photo.height) {
    throw new StirError(
      'BAD_REQUEST',
      `A region mask must be the photo's size (${doc.photo.width}x${doc.photo.height}), not ${mask.width}x${mask.height}.`,
    );
  }
}

function definedOnly<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as Partial<T>;
}
