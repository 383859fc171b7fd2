// The live preview: renders the document at the size it is shown, plays frames as they stream in while the
// render goes on, and after an edit re-renders only what the edit affects (see affected.ts), composing the
// new pixels into the frames it already has.
import {
  frameCountOf,
  runJob,
  type AnimationSettings,
  type Region,
  type RenderFrame,
  type StirClient,
} from '@shared/index.js';
import type { Jobs } from '../editor/jobs.svelte.js';
import type { Notices } from '../editor/notices.svelte.js';
import { maskBounds } from '../canvas/mask-pixels.js';
import {
  planRender,
  regionSignature,
  renderUnderWayServes,
  renderLongSide,
  type Rect,
  type RenderedRegion,
  type RenderPlan,
  type RenderSnapshot,
} from './affected.js';
import { memoryCappedLongSide, nextFrame } from './playback.js';

export interface PreviewSource {
  docId: string | null;
  width: number;
  height: number;
  regions: readonly Region[];
  settings: AnimationSettings;
  /** The photo, for areas where a change left no moving region. */
  photo: ImageBitmap | null;
  /** Whether a motion prompt is the pose puppet (the built-in engine then reads the region's pose). */
  isPuppet?: (prompt: string) => boolean;
  /** Whether a motion prompt can move pixels outside its region's mask (a skinned body motion, the puppet). */
  leavesMask?: (prompt: string) => boolean;
}

/** Edits in quick succession (typing, a slider) start one render, not one each. */
const RENDER_DEBOUNCE_MS = 250;

/**
 * Outside a region's mask grown by this share of the photo's long side, the built-in engine leaves pixels
 * as they were (QUALITY.md measures background stability outside a 2% dilation; 3% leaves room).
 */
const MARGIN_SHARE = 0.03;

/** What every frame of a clip depends on beyond its regions: its length, rate, loop and engine. */
function clipKeyOf(settings: AnimationSettings): string {
  return JSON.stringify([settings.seconds, settings.fps, settings.loop, settings.engine, settings.packId]);
}

/** What a strength note was said of: the clip and the region's signature. */
function noteKey(clipKey: string, signature: string): string {
  return `${clipKey}\n${signature}`;
}

export class Preview {
  /** Decoded frames at preview size; null where a frame has not arrived. */
  frames = $state.raw<ReadonlyArray<ImageBitmap | null>>([]);
  /** Frames rendered for the current state, counted from frame 0 without a gap. */
  fresh = $state(0);
  frameCount = $state(72);
  fps = $state(24);
  /** The playhead. */
  frame = $state(0);
  playing = $state(false);
  #live = $state(true);
  rendering = $state.raw<{ plan: RenderPlan; jobId: string | null } | null>(null);
  /** Long side of preview frames; follows the size the photo is shown at. */
  longSide = $state(512);
  /** What the last render did, for the status bar and for tests. */
  lastPlan = $state.raw<RenderPlan | null>(null);
  renders = $state(0);
  /** Playback moved on while frames were still arriving (a live preview, not a wait-then-play). */
  playedWhileRendering = $state(false);

  readonly #client: StirClient;
  readonly #jobs: Jobs;
  readonly #notices: Notices;
  readonly #source: () => PreviewSource;
  #rendered: RenderSnapshot | null = null;
  /** What the render under way leaves the frames right for; null when none is. */
  #underWay: RenderSnapshot | null = null;
  #abort: AbortController | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #raf = 0;
  #lastTick = 0;
  #direction: 1 | -1 = 1;
  #autoPlay = true;
  #freshFlags: boolean[] = [];
  #composer: HTMLCanvasElement | null = null;
  #maskIds = new WeakMap<Uint8Array, number>();
  #bounds = new WeakMap<Uint8Array, Rect | null>();
  #nextMaskId = 1;
  /** Where each region's motion reached in the render that made the frames, for the signature it had. */
  // Bookkeeping for planning renders, never read reactively.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #reaches = new Map<string, { signature: string; rect: Rect }>();
  /**
   * What the engine said of a region's strength (a looping travel's slowest speed...), for the region and
   * clip it was said of: shown beside the strength slider while they are unchanged. Replaced whole, never
   * changed in place, so a plain map in raw state.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #strengthNotes = $state.raw<ReadonlyMap<string, { key: string; note: string }>>(new Map());

  constructor(client: StirClient, jobs: Jobs, notices: Notices, source: () => PreviewSource) {
    this.#client = client;
    this.#jobs = jobs;
    this.#notices = notices;
    this.#source = source;
  }

  get current(): ImageBitmap | null {
    return this.frames[this.frame] ?? null;
  }
  get time(): number {
    return this.frame / this.fps;
  }
  get duration(): number {
    return this.frameCount / this.fps;
  }

  /** Forgets everything (another photo or project was opened). */
  reset(settings: AnimationSettings): void {
    this.#cancel();
    this.pause(false);
    this.frames = [];
    this.fresh = 0;
    this.frame = 0;
    this.#rendered = null;
    this.lastPlan = null;
    this.#syncTiming(settings);
  }

  /** Re-render automatically after each edit. */
  get live(): boolean {
    return this.#live;
  }

  /** Switched back on, the preview catches up with the edits made while it was off. */
  set live(on: boolean) {
    if (on === this.#live) return;
    this.#live = on;
    if (on && this.#source().regions.length > 0) this.invalidate();
  }

  /** Something changed: re-render soon if live, and keep the timeline in step with the settings. */
  invalidate(): void {
    this.#syncTiming(this.#source().settings);
    if (!this.#live) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.render();
    }, RENDER_DEBOUNCE_MS);
  }

  setLongSide(longSide: number): void {
    if (longSide === this.longSide) return;
    this.longSide = longSide;
    if (this.#source().regions.length > 0) this.invalidate();
  }

  async render(): Promise<void> {
    const source = this.#source();
    if (!source.docId) return;
    const docId = source.docId;
    const snapshot = this.#snapshot(source);
    const options = {
      photoWidth: source.width,
      photoHeight: source.height,
      margin: Math.max(source.width, source.height) * MARGIN_SHARE + 4,
      partialAllowed: source.settings.engine === 'motion',
    };
    // Compared with the render under way first: restarting it for an edit it does not depend on would
    // throw away the frames it has made (the last finished render is what the frames were before it).
    if (this.rendering && renderUnderWayServes(this.#underWay, snapshot, options)) return;
    const complete =
      this.rendering === null &&
      this.frames.length === frameCountOf(source.settings) &&
      this.frames.every((f) => f !== null);
    const plan =
      snapshot.regions.size === 0
        ? ({ kind: 'full' } as const)
        : planRender(complete ? this.#rendered : null, snapshot, options);
    if (plan.kind === 'none') {
      // The frames shown are right for what the regions are now (an edit went back to what they were
      // rendered with): a preview error from the edit in between no longer holds.
      this.#notices.resolved('preview');
      return;
    }
    this.#cancel();
    // A partial render composes into the frames there, at their size (the window may have shrunk since).
    const longSide = renderLongSide(plan, this.#rendered, snapshot.longSide);
    const rendered: RenderSnapshot = { ...snapshot, longSide };
    this.lastPlan = plan;
    this.renders++;

    // 1. Nothing moves: the clip is the photo.
    if (snapshot.regions.size === 0) {
      this.frames = [];
      this.fresh = 0;
      this.#rendered = rendered;
      return;
    }
    // 2. Only areas that no region reaches any more: put the photo back there, no engine needed.
    if (plan.kind === 'partial' && plan.regionIds.length === 0 && source.photo) {
      const photo = source.photo;
      this.frames = await Promise.all(
        this.frames.map((f) => (f ? this.#compose(f, photo, plan.rects, source) : f)),
      );
      this.#rendered = rendered;
      return;
    }
    // 3. Render (all regions, or the affected ones to compose) and play as frames arrive.
    const count = frameCountOf(source.settings);
    if (plan.kind === 'full') {
      // Keep the frames on screen until their new versions arrive, when they are the same clip's.
      this.frames =
        this.frames.length === count ? this.frames : new Array<ImageBitmap | null>(count).fill(null);
    }
    this.#freshFlags = new Array<boolean>(count).fill(false);
    this.fresh = 0;
    const controller = new AbortController();
    this.#abort = controller;
    this.#underWay = rendered;
    this.rendering = { plan, jobId: null };
    if (this.#autoPlay && !this.playing) this.play();

    let jobId: string | null = null;
    let accepted: Promise<void> = Promise.resolve();
    try {
      const result = await runJob(
        this.#client,
        () =>
          this.#client.startRender({
            docId,
            previewLongSide: longSide,
            regionIds: plan.kind === 'partial' ? plan.regionIds : null,
          }),
        'render',
        {
          onStarted: (started) => {
            jobId = started.jobId;
            if (this.#abort === controller) this.rendering = { plan, jobId };
            this.#jobs.start(started.jobId, 'render', 'Preview', () => controller.abort());
          },
          onProgress: (p) => this.#jobs.progress(p),
          onFrame: (frame) => {
            accepted = accepted.then(() => this.#accept(frame, plan, source, controller.signal));
          },
        },
        controller.signal,
      );
      await accepted;
      if (!controller.signal.aborted) {
        for (const { regionId, rect } of result.reach) {
          const region = rendered.regions.get(regionId);
          if (region) this.#reaches.set(regionId, { signature: region.signature, rect });
        }
        this.#rendered = this.#withReaches(rendered);
        this.#keepStrengthNotes(plan, rendered, result.strengthNotes);
        this.#notices.resolved('preview');
      }
    } catch (caught) {
      if (!controller.signal.aborted) this.#notices.fail(caught, 'The preview failed', 'preview');
    } finally {
      if (jobId) this.#jobs.end(jobId);
      if (this.#abort === controller) {
        this.#abort = null;
        this.#underWay = null;
        this.rendering = null;
      }
    }
  }

  play(): void {
    this.#autoPlay = true;
    if (this.playing) return;
    if (this.frame >= this.frameCount - 1 && this.#source().settings.loop === 'once') this.frame = 0;
    this.playing = true;
    this.#lastTick = performance.now();
    const tick = (now: number) => {
      if (!this.playing) return;
      if (now - this.#lastTick >= 1000 / this.fps) {
        this.#lastTick = now;
        this.#step();
      }
      this.#raf = requestAnimationFrame(tick);
    };
    this.#raf = requestAnimationFrame(tick);
    if (this.frames.length === 0 && !this.rendering && this.#source().regions.length > 0) void this.render();
  }

  /** Stops playing; `byPerson` keeps later renders from starting playback on their own. */
  pause(byPerson = true): void {
    if (byPerson) this.#autoPlay = false;
    this.playing = false;
    cancelAnimationFrame(this.#raf);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  seek(frame: number): void {
    this.frame = Math.min(this.frameCount - 1, Math.max(0, Math.round(frame)));
  }

  cancelRender(): void {
    this.#cancel();
  }

  dispose(): void {
    this.#cancel();
    this.pause(false);
  }

  #step(): void {
    const ready =
      this.frames.length === 0 || this.rendering?.plan.kind !== 'full' ? this.frameCount : this.fresh;
    const next = nextFrame(this.frame, this.#direction, this.frameCount, ready, this.#source().settings.loop);
    if (this.rendering && next.frame !== this.frame) this.playedWhileRendering = true;
    this.frame = next.frame;
    this.#direction = next.direction;
    if (next.ended) this.pause(false);
  }

  #cancel(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#abort?.abort();
    this.#abort = null;
    this.#underWay = null;
    this.rendering = null;
  }

  #syncTiming(settings: AnimationSettings): void {
    this.fps = settings.fps;
    this.frameCount = frameCountOf(settings);
    if (this.frame >= this.frameCount) this.frame = this.frameCount - 1;
    if (this.frames.length !== this.frameCount && this.frames.length > 0) {
      this.frames = [];
      this.fresh = 0;
    }
  }

  async #accept(
    frame: RenderFrame,
    plan: RenderPlan,
    source: PreviewSource,
    signal: AbortSignal,
  ): Promise<void> {
    if (signal.aborted) return;
    let bitmap = await createImageBitmap(
      new Blob([frame.image as Uint8Array<ArrayBuffer>], { type: frame.mime }),
    );
    if (signal.aborted) return;
    if (plan.kind === 'partial') {
      const base = this.frames[frame.index];
      if (!base) return;
      bitmap = await this.#compose(base, bitmap, plan.rects, source);
      if (signal.aborted) return;
    }
    const frames =
      this.frames.length === frame.frameCount
        ? [...this.frames]
        : new Array<ImageBitmap | null>(frame.frameCount).fill(null);
    frames[frame.index] = bitmap;
    this.frames = frames;
    this.#freshFlags[frame.index] = true;
    let fresh = this.fresh;
    while (fresh < this.#freshFlags.length && this.#freshFlags[fresh]) fresh++;
    this.fresh = fresh;
  }

  /** The base frame with `over` drawn inside the rectangles (photo pixels, scaled to the frame). */
  async #compose(
    base: ImageBitmap,
    over: ImageBitmap,
    rects: readonly Rect[],
    source: PreviewSource,
  ): Promise<ImageBitmap> {
    const canvas = (this.#composer ??= document.createElement('canvas'));
    canvas.width = base.width;
    canvas.height = base.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return base;
    const sx = base.width / source.width;
    const sy = base.height / source.height;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(base, 0, 0);
    ctx.save();
    ctx.beginPath();
    for (const r of rects)
      ctx.rect(
        Math.floor(r.x * sx),
        Math.floor(r.y * sy),
        Math.ceil(r.width * sx) + 1,
        Math.ceil(r.height * sy) + 1,
      );
    ctx.clip();
    ctx.drawImage(over, 0, 0, base.width, base.height);
    ctx.restore();
    return createImageBitmap(canvas);
  }

  #snapshot(source: PreviewSource): RenderSnapshot {
    // A plain snapshot for comparing, never read reactively.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const regions = new Map<string, RenderedRegion>();
    for (const region of source.regions) {
      if (!region.visible) continue;
      regions.set(region.id, {
        signature: this.#signatureOf(source, region),
        bounds: this.#maskBounds(region),
        leavesMask: source.leavesMask?.(region.motion.prompt) ?? false,
      });
    }
    return this.#withReaches({
      clipKey: clipKeyOf(source.settings),
      longSide: this.#renderLongSide(source),
      regions,
    });
  }

  /** What a region renders from: its mask, motion and pose, and the engine. */
  #signatureOf(source: PreviewSource, region: Region): string {
    return regionSignature(
      this.#maskId(region.mask.data),
      region.motion,
      region.pose,
      source.settings.engine,
      source.isPuppet?.(region.motion.prompt) ?? false,
    );
  }

  /** The engine's note on the region's strength, while the region and the clip are as it was said of. */
  strengthNote(region: Region): string | null {
    const known = this.#strengthNotes.get(region.id);
    if (!known) return null;
    const source = this.#source();
    return known.key === noteKey(clipKeyOf(source.settings), this.#signatureOf(source, region))
      ? known.note
      : null;
  }

  /**
   * The notes of a finished render replace those of the regions it rendered, each kept for the clip and
   * the region as the render saw them (an edit made while it ran is not what the note was said of).
   */
  #keepStrengthNotes(
    plan: RenderPlan,
    rendered: RenderSnapshot,
    notes: ReadonlyArray<{ regionId: string; note: string }>,
  ): void {
    // A fresh map each time: the inspector reads it reactively as a whole.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const kept = new Map(this.#strengthNotes);
    for (const id of plan.kind === 'partial' ? plan.regionIds : rendered.regions.keys()) kept.delete(id);
    for (const { regionId, note } of notes) {
      const region = rendered.regions.get(regionId);
      if (region) kept.set(regionId, { key: noteKey(rendered.clipKey, region.signature), note });
    }
    this.#strengthNotes = kept;
  }

  /** The snapshot with each region's reach, where the engine reported one for the signature it has now. */
  #withReaches(snapshot: RenderSnapshot): RenderSnapshot {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const regions = new Map<string, RenderedRegion>();
    for (const [id, region] of snapshot.regions) {
      const known = this.#reaches.get(id);
      regions.set(id, {
        ...region,
        reach: known && known.signature === region.signature ? known.rect : null,
      });
    }
    return { ...snapshot, regions };
  }

  /** The window's size, unless that many frames would not fit in memory. */
  #renderLongSide(source: PreviewSource): number {
    return memoryCappedLongSide(this.longSide, frameCountOf(source.settings), source.width, source.height);
  }

  #maskId(data: Uint8Array): number {
    let id = this.#maskIds.get(data);
    if (id === undefined) {
      id = this.#nextMaskId++;
      this.#maskIds.set(data, id);
    }
    return id;
  }

  #maskBounds(region: Region): Rect | null {
    const data = region.mask.data;
    if (!this.#bounds.has(data)) this.#bounds.set(data, maskBounds(region.mask));
    return this.#bounds.get(data) ?? null;
  }
}
