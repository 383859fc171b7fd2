// The editor's document and every edit a person can make to it. Each edit goes to the engine (which holds
// the document for rendering) and is recorded as a snapshot for undo; edits run one at a time, in order.
// Edits that need the engine's answer first (a click becomes a mask) wait for it; edits the engine cannot
// refuse (a name, a strength) show at once and reach the engine just after.
import {
  DEFAULT_SETTINGS,
  DEFAULT_STRENGTH,
  GUIDE_LIMITS,
  LIMITS,
  StirError,
  type AnimationSettings,
  type Box,
  type Click,
  type FreezeStroke,
  type Mask,
  type MotionPath,
  type PhotoDocument,
  type Point,
  type Pose,
  type Region,
  type RegionMotion,
  type StirClient,
} from '@shared/index.js';
import type { ShellApi } from '../../../../preload/api.js';
import { History } from './history.js';
import { Notices } from './notices.svelte.js';
import { Jobs } from './jobs.svelte.js';
import { Catalog } from './catalog.svelte.js';
import { Preview } from '../preview/preview.svelte.js';
import { maskArea, maskBounds } from '../canvas/mask-pixels.js';
import { standingPose } from '../pose/skeleton.js';
import { KEYFRAME_EPSILON } from '../pose/interpolate.js';

export type Tool = 'click' | 'box' | 'brush' | 'eraser' | 'pose' | 'hand' | 'path' | 'anchor' | 'freeze';

/** What undo restores: the document's regions and settings (selection rides along). */
export interface DocState {
  regions: readonly Region[];
  settings: AnimationSettings;
  selectedId: string | null;
}

export interface OpenDocument {
  docId: string;
  name: string;
  width: number;
  height: number;
  format: string;
  /** Object URL of the displayed photo. */
  imageUrl: string;
}

/** How a click on the photo changes the regions. */
export type ClickIntent = 'auto' | 'new' | 'add' | 'remove';

const HISTORY_LIMIT = 100;
const DEFAULT_BRUSH_SIZE = 32;
const AUTOSAVE_DELAY_MS = 1500;

export class Editor {
  readonly client: StirClient;
  readonly shell: ShellApi;
  readonly notices = new Notices();
  readonly jobs = new Jobs();
  readonly catalog: Catalog;
  readonly preview: Preview;

  doc = $state.raw<OpenDocument | null>(null);
  regions = $state.raw<readonly Region[]>([]);
  settings = $state.raw<AnimationSettings>(DEFAULT_SETTINGS);
  selectedId = $state<string | null>(null);
  hoverId = $state<string | null>(null);
  /** The .stir file this document was opened from or saved to. */
  projectPath = $state<string | null>(null);
  photo = $state.raw<ImageBitmap | null>(null);

  tool = $state<Tool>('click');
  /** Brush and eraser diameter in photo pixels. */
  brushSize = $state(DEFAULT_BRUSH_SIZE);
  /** The next click makes a new region even where one is (N). */
  newRegionNext = $state(false);
  /**
   * The segmenter's ranked answers to the click that made a region, while Tab can step through them:
   * from that click until the region is edited another way (a refining click, a box, a brush).
   */
  selectionChoices = $state.raw<{ regionId: string; count: number; index: number } | null>(null);
  /** What the engine is doing for the last edit, in words ("Finding the region…"). */
  busy = $state<string | null>(null);
  /** Which segmenter made the last mask. */
  segmenter = $state<string | null>(null);
  /** Where the last diffusion job ran (cpu, cuda...) and what it fell back from, from jobDevice events. */
  device = $state.raw<{ device: string; fellBackFrom: string | null } | null>(null);
  autosavedAt = $state<string | null>(null);
  /** Edits sent to the engine that it has not answered yet. */
  pending = $state(0);

  /** Bumped on every history change, so undo/redo state is reactive. */
  #historyVersion = $state(0);
  #savedState = $state.raw<DocState | null>(null);
  #history = new History<DocState>(
    { regions: [], settings: DEFAULT_SETTINGS, selectedId: null },
    HISTORY_LIMIT,
  );
  #queue: Promise<unknown> = Promise.resolve();
  #autosaveTimer: ReturnType<typeof setTimeout> | null = null;

  selected = $derived(this.regions.find((r) => r.id === this.selectedId) ?? null);

  constructor(client: StirClient, shell: ShellApi) {
    this.client = client;
    this.shell = shell;
    this.catalog = new Catalog(client);
    client.on('jobDevice', (event) => {
      this.device = { device: event.device, fellBackFrom: event.fellBackFrom };
    });
    this.preview = new Preview(client, this.jobs, this.notices, () => ({
      docId: this.doc?.docId ?? null,
      width: this.doc?.width ?? 1,
      height: this.doc?.height ?? 1,
      regions: this.regions,
      settings: this.settings,
      photo: this.photo,
      isPuppet: (prompt) => this.catalog.motion(prompt)?.primitive === 'puppet',
      // Skinned motions move the person's limbs past the mask (plan-skin.ts); a breath does not.
      leavesMask: (prompt) => this.catalog.motion(prompt)?.leavesMask ?? false,
    }));
  }

  get canUndo(): boolean {
    void this.#historyVersion;
    return this.#history.canUndo;
  }
  get canRedo(): boolean {
    void this.#historyVersion;
    return this.#history.canRedo;
  }
  get undoLabel(): string | null {
    void this.#historyVersion;
    return this.#history.undoLabel;
  }
  get redoLabel(): string | null {
    void this.#historyVersion;
    return this.#history.redoLabel;
  }
  /** Edits since the last save (or since opening). */
  get dirty(): boolean {
    void this.#historyVersion;
    return this.doc !== null && this.#history.present !== this.#savedState;
  }

  // --- documents ------------------------------------------------------------------------------------

  /** Shows a document the engine has opened (a photo, a project, a recovered autosave). */
  async load(
    document: PhotoDocument,
    projectPath: string | null,
    options: { dirty?: boolean } = {},
  ): Promise<void> {
    const previous = this.doc;
    const blob = new Blob([document.image as Uint8Array<ArrayBuffer>], { type: document.imageMime });
    const photo = await createImageBitmap(blob);
    if (previous) {
      URL.revokeObjectURL(previous.imageUrl);
      void this.#closeInEngine(previous.docId);
    }
    this.doc = {
      docId: document.docId,
      name: document.name,
      width: document.width,
      height: document.height,
      format: document.format,
      imageUrl: URL.createObjectURL(blob),
    };
    this.photo = photo;
    this.regions = document.regions;
    this.settings = document.settings;
    this.selectedId = null;
    this.hoverId = null;
    this.projectPath = projectPath;
    this.autosavedAt = null;
    // Another photo starts with the click tool and the usual brush, not what the last one was left with.
    this.tool = 'click';
    this.brushSize = DEFAULT_BRUSH_SIZE;
    this.newRegionNext = false;
    const state = this.#state();
    this.#history.reset(state);
    this.#savedState = options.dirty ? null : state;
    this.#historyVersion++;
    this.preview.reset(document.settings);
    if (document.regions.length > 0) this.preview.invalidate();
  }

  /** Back to the start screen; the document's autosave goes (the person chose to leave it). */
  async close(): Promise<void> {
    const previous = this.doc;
    if (!previous) return;
    this.preview.reset(DEFAULT_SETTINGS);
    URL.revokeObjectURL(previous.imageUrl);
    this.doc = null;
    this.photo = null;
    this.regions = [];
    this.selectedId = null;
    this.projectPath = null;
    this.#history.reset(this.#state());
    this.#savedState = null;
    this.#historyVersion++;
    await this.#closeInEngine(previous.docId);
  }

  /** The state on disk now matches the present one. */
  markSaved(path: string): void {
    this.projectPath = path;
    // The save removed the recovery copy; "Autosaved" waits for the next one.
    this.autosavedAt = null;
    this.#savedState = this.#history.present;
    this.#history.seal();
    this.#historyVersion++;
    if (this.#autosaveTimer) clearTimeout(this.#autosaveTimer);
    this.#autosaveTimer = null;
  }

  async #closeInEngine(docId: string): Promise<void> {
    if (this.#autosaveTimer) clearTimeout(this.#autosaveTimer);
    this.#autosaveTimer = null;
    await this.client.discardRecovery({ id: docId }).catch(() => undefined);
    await this.client.closeDocument({ docId }).catch(() => undefined);
  }

  // --- selection and tools --------------------------------------------------------------------------

  select(id: string | null): void {
    this.selectedId = id;
    if (this.doc) this.#history.amend(this.#state());
  }

  selectNeighbour(step: 1 | -1): void {
    if (this.regions.length === 0) return;
    const index = this.regions.findIndex((r) => r.id === this.selectedId);
    const next = index < 0 ? (step > 0 ? 0 : this.regions.length - 1) : index + step;
    const region = this.regions[Math.min(this.regions.length - 1, Math.max(0, next))];
    if (region) this.select(region.id);
  }

  setTool(tool: Tool): void {
    this.tool = tool;
  }

  // --- regions from clicks, boxes and brushes -------------------------------------------------------

  /** A click on the photo: a new region, or more or less of the selected one (Shift adds, Alt removes). */
  clickAt(point: Point, intent: ClickIntent, hitId: string | null): Promise<void> {
    const target = this.selected;
    if (intent === 'auto' && hitId && !this.newRegionNext) {
      this.select(hitId);
      return Promise.resolve();
    }
    if ((intent === 'add' || intent === 'remove') && target) {
      return this.#refine(target.id, { ...point, positive: intent === 'add' });
    }
    if (intent === 'remove') {
      this.notices.info('Select a region first: Alt-click removes a part from the selected region.');
      return Promise.resolve();
    }
    this.newRegionNext = false;
    return this.#enqueue(
      'Finding the region…',
      async () => {
        const doc = this.#requireDoc();
        const click: Click = { ...point, positive: true };
        const result = await this.client.segment({
          docId: doc.docId,
          clicks: [click],
          box: null,
          previous: null,
        });
        this.segmenter = result.segmenter;
        if (!this.#nonEmpty(result.mask)) return;
        await this.#createRegion(
          { mask: result.mask, clicks: [click], box: null },
          'Add region',
          result.suggestion.prompt,
        );
        this.#offerChoices(result.hypotheses, result.hypothesis);
      },
      'segment',
    );
  }

  /**
   * Tab (step 1) or Shift+Tab (-1): the next or previous of the segmenter's answers for the region. They
   * do not wrap around: past the last (or before the first) Tab moves the focus on, as everywhere, so the
   * canvas never traps the keyboard.
   */
  cycleSelection(step: 1 | -1): Promise<void> {
    const choices = this.selectionChoices;
    const region = this.selected;
    if (!choices || !region || !this.canCycleSelection(step)) return Promise.resolve();
    const hypothesis = choices.index + step;
    return this.#enqueue(
      'Finding the region…',
      async () => {
        const doc = this.#requireDoc();
        const result = await this.client.segment({
          docId: doc.docId,
          clicks: region.clicks,
          box: region.box,
          previous: null,
          hypothesis,
        });
        this.segmenter = result.segmenter;
        if (!this.#nonEmpty(result.mask)) return;
        const updated = await this.client.updateRegion({
          docId: doc.docId,
          regionId: region.id,
          patch: { mask: result.mask },
        });
        this.#commit('Other selection', this.#withRegion(updated));
        this.#offerChoices(result.hypotheses, result.hypothesis);
      },
      'segment',
    );
  }

  /** Whether Tab (1) or Shift+Tab (-1) now steps to another of the selected region's answers. */
  canCycleSelection(step: 1 | -1): boolean {
    const choices = this.selectionChoices;
    if (!choices || choices.regionId !== this.selectedId) return false;
    const next = choices.index + step;
    return next >= 0 && next < choices.count;
  }

  /** The "Selection N of M" notice showing, replaced by the next rather than stacked under it. */
  #choiceNotice: number | null = null;

  #offerChoices(count: number, index: number): void {
    const regionId = this.selectedId;
    if (this.#choiceNotice !== null) this.notices.dismiss(this.#choiceNotice);
    this.#choiceNotice = null;
    if (regionId === null || count < 2) {
      this.selectionChoices = null;
      return;
    }
    this.selectionChoices = { regionId, count, index };
    const keys = index < count - 1 ? 'Tab for next' : 'Shift+Tab for the previous';
    this.#choiceNotice = this.notices.info(`Selection ${index + 1} of ${count} (${keys})`);
  }

  /** A box dragged on the photo: a new region (or, with Shift, the selected region's box). */
  boxAt(box: Box, addToSelected: boolean): Promise<void> {
    const target = addToSelected ? this.selected : null;
    this.selectionChoices = null;
    return this.#enqueue('Finding the region…', async () => {
      const doc = this.#requireDoc();
      const result = await this.client.segment({
        docId: doc.docId,
        clicks: target ? target.clicks : [],
        box,
        previous: target ? target.mask : null,
      });
      this.segmenter = result.segmenter;
      if (!this.#nonEmpty(result.mask)) return;
      if (target) {
        const updated = await this.client.updateRegion({
          docId: doc.docId,
          regionId: target.id,
          patch: { box, mask: result.mask },
        });
        this.#commit('Box', this.#withRegion(updated));
      } else {
        await this.#createRegion(
          { mask: result.mask, clicks: [], box },
          'Add region',
          result.suggestion.prompt,
        );
      }
    });
  }

  /** Removes one click marker from a region and finds the region again from the clicks left. */
  removeClick(regionId: string, index: number): Promise<void> {
    this.selectionChoices = null;
    return this.#enqueue('Finding the region…', async () => {
      const doc = this.#requireDoc();
      const region = this.#region(regionId);
      const clicks = region.clicks.filter((_, i) => i !== index);
      if (!clicks.some((c) => c.positive) && !region.box) {
        // Nothing left to find the region from: the region goes (undo brings it back).
        await this.client.deleteRegion({ docId: doc.docId, regionId });
        this.#commit('Remove click', {
          ...this.#state(),
          regions: this.regions.filter((r) => r.id !== regionId),
          selectedId: null,
        });
        return;
      }
      const result = await this.client.segment({ docId: doc.docId, clicks, box: region.box, previous: null });
      this.segmenter = result.segmenter;
      const updated = await this.client.updateRegion({
        docId: doc.docId,
        regionId,
        patch: { clicks, mask: result.mask },
      });
      this.#commit('Remove click', this.#withRegion(updated));
    });
  }

  /** A finished brush or eraser stroke: the region's new mask (a new region when none was selected). */
  paintMask(regionId: string | null, mask: Mask, erase: boolean): Promise<void> {
    if (regionId !== null) this.selectionChoices = null;
    return this.#enqueue(null, async () => {
      const doc = this.#requireDoc();
      if (regionId === null) {
        if (!erase && maskArea(mask) > 0)
          await this.#createRegion({ mask, clicks: [], box: null }, 'Paint region');
        return;
      }
      if (maskArea(mask) === 0) {
        await this.client.deleteRegion({ docId: doc.docId, regionId });
        this.#commit('Erase region', {
          ...this.#state(),
          regions: this.regions.filter((r) => r.id !== regionId),
          selectedId: null,
        });
        return;
      }
      const updated = await this.client.updateRegion({ docId: doc.docId, regionId, patch: { mask } });
      this.#commit(erase ? 'Erase' : 'Paint', this.#withRegion(updated));
    });
  }

  #refine(regionId: string, click: Click): Promise<void> {
    this.selectionChoices = null;
    return this.#enqueue('Refining the region…', async () => {
      const doc = this.#requireDoc();
      const region = this.#region(regionId);
      const clicks = [...region.clicks, click];
      const result = await this.client.segment({
        docId: doc.docId,
        clicks,
        box: region.box,
        previous: region.mask,
      });
      this.segmenter = result.segmenter;
      if (maskArea(result.mask) === 0) {
        this.notices.info('That would leave the region empty; delete the region instead (Delete).');
        return;
      }
      const updated = await this.client.updateRegion({
        docId: doc.docId,
        regionId,
        patch: { clicks, mask: result.mask },
      });
      this.#commit(click.positive ? 'Add to region' : 'Remove from region', this.#withRegion(updated));
    });
  }

  /** A new region; its motion word is the one the engine suggests for what was clicked (sky: drift...). */
  async #createRegion(
    parts: { mask: Mask; clicks: Click[]; box: Box | null },
    label: string,
    suggested: string | null = null,
  ): Promise<void> {
    const doc = this.#requireDoc();
    if (this.regions.length >= LIMITS.regionsMax) {
      throw new StirError('BAD_REQUEST', `A photo can have at most ${LIMITS.regionsMax} regions.`, {
        hint: 'Delete a region, or add to one with Shift-click.',
      });
    }
    const region = await this.client.createRegion({
      docId: doc.docId,
      region: { ...parts, motion: this.#defaultMotion(suggested) },
    });
    this.#commit(label, { ...this.#state(), regions: [...this.regions, region], selectedId: region.id });
  }

  #defaultMotion(suggested: string | null): RegionMotion {
    const word = (suggested && this.catalog.motion(suggested)) || this.catalog.defaultMotion();
    return {
      prompt: word.word,
      strength: word.defaultStrength || DEFAULT_STRENGTH,
      direction: null,
      seed: 0,
      start: 0,
      end: null,
      tempo: null,
      paths: [],
      anchors: [],
      freeze: [],
    };
  }

  #nonEmpty(mask: Mask): boolean {
    if (maskBounds(mask)) return true;
    this.notices.info('Nothing was found there. Click inside the object, or drag a box around it (R).');
    return false;
  }

  // --- region properties ----------------------------------------------------------------------------

  setMotion(
    regionId: string,
    patch: Partial<RegionMotion>,
    coalesceKey: string | null = null,
    label = `Change ${Object.keys(patch).join(', ')}`,
  ): void {
    const region = this.#region(regionId);
    const next = { ...region, motion: { ...region.motion, ...patch } };
    this.#edit(label, this.#withRegion(next), coalesceKey, (docId) =>
      this.client.updateRegion({ docId, regionId, patch: { motion: patch } }),
    );
  }

  // --- motion guides: paths, anchors, the freeze brush (issue 13, point 5); each edit is one undo step ---

  addPath(regionId: string, path: MotionPath): void {
    const { paths } = this.#region(regionId).motion;
    if (paths.length >= GUIDE_LIMITS.paths) {
      this.notices.info(`A region takes at most ${GUIDE_LIMITS.paths} paths; delete one first.`);
      return;
    }
    if (path.length > GUIDE_LIMITS.pathPoints) {
      this.notices.info(`A path takes at most ${GUIDE_LIMITS.pathPoints} points.`);
      return;
    }
    this.setMotion(regionId, { paths: [...paths, path.map(tenth)] }, null, 'Draw path');
  }

  movePathPoint(regionId: string, pathIndex: number, pointIndex: number, to: Point): void {
    const paths = this.#region(regionId).motion.paths.map((path, i) =>
      i === pathIndex ? path.map((p, k) => (k === pointIndex ? tenth(to) : p)) : path,
    );
    this.setMotion(regionId, { paths }, null, 'Move path point');
  }

  deletePath(regionId: string, pathIndex: number): void {
    const paths = this.#region(regionId).motion.paths.filter((_, i) => i !== pathIndex);
    this.setMotion(regionId, { paths }, null, 'Delete path');
  }

  addAnchor(regionId: string, at: Point): void {
    const { anchors } = this.#region(regionId).motion;
    if (anchors.length >= GUIDE_LIMITS.anchors) {
      this.notices.info(`A region takes at most ${GUIDE_LIMITS.anchors} anchors; remove one first.`);
      return;
    }
    this.setMotion(regionId, { anchors: [...anchors, tenth(at)] }, null, 'Place anchor');
  }

  removeAnchor(regionId: string, index: number): void {
    const anchors = this.#region(regionId).motion.anchors.filter((_, i) => i !== index);
    this.setMotion(regionId, { anchors }, null, 'Remove anchor');
  }

  addFreezeStroke(regionId: string, stroke: FreezeStroke): void {
    const { freeze } = this.#region(regionId).motion;
    const points = freeze.reduce((n, s) => n + s.points.length, stroke.points.length);
    if (freeze.length >= GUIDE_LIMITS.freezeStrokes || points > GUIDE_LIMITS.freezePoints) {
      this.notices.info(
        'This region has as much freeze painting as it keeps; clear the freeze and paint it again with fewer strokes.',
      );
      return;
    }
    const label = stroke.erase ? 'Erase freeze' : 'Paint freeze';
    const kept = { ...stroke, radius: Math.max(0.5, stroke.radius), points: stroke.points.map(tenth) };
    this.setMotion(regionId, { freeze: [...freeze, kept] }, null, label);
  }

  clearGuides(regionId: string, which: 'paths' | 'anchors' | 'freeze'): void {
    const label = { paths: 'Delete paths', anchors: 'Remove anchors', freeze: 'Clear freeze' }[which];
    this.setMotion(regionId, { [which]: [] }, null, label);
  }

  rename(regionId: string, name: string): void {
    const trimmed = name.trim().slice(0, 80);
    if (!trimmed || trimmed === this.#region(regionId).name) return;
    this.#edit(
      'Rename region',
      this.#withRegion({ ...this.#region(regionId), name: trimmed }),
      null,
      (docId) => this.client.updateRegion({ docId, regionId, patch: { name: trimmed } }),
    );
  }

  setVisible(regionId: string, visible: boolean): void {
    this.#edit(
      visible ? 'Show region' : 'Hide region',
      this.#withRegion({ ...this.#region(regionId), visible }),
      null,
      (docId) => this.client.updateRegion({ docId, regionId, patch: { visible } }),
    );
  }

  setPose(regionId: string, pose: Pose | null, label: string, coalesceKey: string | null = null): void {
    this.#edit(label, this.#withRegion({ ...this.#region(regionId), pose }), coalesceKey, (docId) =>
      this.client.updateRegion({ docId, regionId, patch: { pose } }),
    );
  }

  /** The region's active time: from its start to its end (or the clip's end). */
  activeTime(region: Region): { start: number; end: number } {
    return { start: region.motion.start, end: region.motion.end ?? this.settings.seconds };
  }

  /**
   * The time a pose edit keys at: the playhead, which must lie inside the region's active time (a pose
   * keyed where the region does not move would never be seen). Outside, says so and gives null.
   */
  poseKeyTime(region: Region): number | null {
    const { start, end } = this.activeTime(region);
    const time = this.preview.time;
    if (time >= start - KEYFRAME_EPSILON && time <= end + KEYFRAME_EPSILON) return time;
    this.notices.info(
      `${region.name} moves from ${start.toFixed(2)} s to ${end.toFixed(2)} s: move the playhead inside that time to key its pose.`,
    );
    return null;
  }

  /** A person skeleton fitted to the region, keyed at the current time (the nearest one inside the
   * region's active time, where the playhead then goes). */
  addPose(regionId: string): void {
    const region = this.#region(regionId);
    // Keyed at the playhead: hold it still.
    this.preview.pause();
    const { start, end } = this.activeTime(region);
    const fps = this.preview.fps;
    const frame = Math.min(
      Math.floor(end * fps + 1e-6),
      Math.max(Math.ceil(start * fps - 1e-6), this.preview.frame),
    );
    if (frame !== this.preview.frame) this.preview.seek(frame);
    const bounds = maskBounds(region.mask) ?? {
      x: 0,
      y: 0,
      width: region.mask.width,
      height: region.mask.height,
    };
    this.setPose(
      regionId,
      { keyframes: [{ time: this.preview.time, joints: standingPose(bounds) }] },
      'Add skeleton',
    );
  }

  /**
   * "Fit to person": the engine places the joints on the person it detected in the region, keyed at the
   * current time (replacing the pose there, keeping the other keyframes).
   */
  async fitPose(regionId: string): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    try {
      const { joints } = await this.client.fitPose({ docId: doc.docId, regionId });
      const region = this.#region(regionId);
      const time = this.preview.time;
      const others = (region.pose?.keyframes ?? []).filter((k) => Math.abs(k.time - time) > 1e-6);
      const keyframes = [...others, { time, joints }].sort((a, b) => a.time - b.time);
      this.setPose(regionId, { keyframes }, 'Fit skeleton to person');
    } catch (caught) {
      this.notices.fail(caught, 'Fit to person');
    }
  }

  deleteRegion(regionId: string): void {
    const regions = this.regions.filter((r) => r.id !== regionId);
    const selectedId = this.selectedId === regionId ? null : this.selectedId;
    this.#edit('Delete region', { ...this.#state(), regions, selectedId }, null, (docId) =>
      this.client.deleteRegion({ docId, regionId }),
    );
  }

  /** Moves a region up (+1, drawn over more) or down (-1) the stack. */
  moveRegion(regionId: string, step: number): void {
    const from = this.regions.findIndex((r) => r.id === regionId);
    const to = Math.min(this.regions.length - 1, Math.max(0, from + step));
    if (from < 0 || from === to) return;
    this.reorder(from, to);
  }

  reorder(from: number, to: number): void {
    const regions = [...this.regions];
    const [moved] = regions.splice(from, 1);
    if (!moved || from === to) return;
    regions.splice(to, 0, moved);
    const order = regions.map((r) => r.id);
    this.#edit('Reorder regions', { ...this.#state(), regions }, null, (docId) =>
      this.client.reorderRegions({ docId, order }),
    );
  }

  setSettings(patch: Partial<AnimationSettings>, coalesceKey: string | null = null): void {
    const settings = { ...this.settings, ...patch };
    this.#edit(
      `Change ${Object.keys(patch).join(', ')}`,
      { ...this.#state(), settings },
      coalesceKey,
      (docId) => this.client.updateSettings({ docId, patch }),
    );
  }

  // --- undo -----------------------------------------------------------------------------------------

  undo(): void {
    const state = this.#history.undo();
    if (state) this.#restore(state);
  }

  redo(): void {
    const state = this.#history.redo();
    if (state) this.#restore(state);
  }

  #restore(state: DocState): void {
    this.#apply(state);
    this.#historyVersion++;
    this.#afterEdit();
    void this.#enqueue(null, async () => {
      const doc = this.#requireDoc();
      await this.client.setDocumentState({
        docId: doc.docId,
        regions: [...state.regions],
        settings: state.settings,
      });
    });
  }

  // --- plumbing -------------------------------------------------------------------------------------

  /** An edit shown at once and sent to the engine after; if the engine refuses, it is taken back. */
  #edit(
    label: string,
    next: DocState,
    coalesceKey: string | null,
    send: (docId: string) => Promise<unknown>,
  ): void {
    const doc = this.doc;
    if (!doc) return;
    this.#commit(label, next, coalesceKey);
    void this.#enqueue(
      null,
      async () => {
        try {
          await send(doc.docId);
        } catch (caught) {
          // Put the engine and the editor back where they agreed, then say why.
          this.undo();
          throw caught;
        }
      },
      `edit:${label}`,
    );
  }

  #commit(label: string, next: DocState, coalesceKey: string | null = null): void {
    this.#apply(next);
    this.#history.push(next, label, coalesceKey);
    this.#historyVersion++;
    this.#afterEdit();
  }

  #apply(state: DocState): void {
    this.regions = state.regions;
    this.settings = state.settings;
    this.selectedId =
      state.selectedId && state.regions.some((r) => r.id === state.selectedId) ? state.selectedId : null;
  }

  #afterEdit(): void {
    this.preview.invalidate();
    this.#scheduleAutosave();
  }

  #scheduleAutosave(): void {
    if (this.#autosaveTimer) clearTimeout(this.#autosaveTimer);
    this.#autosaveTimer = setTimeout(() => {
      this.#autosaveTimer = null;
      void this.autosaveNow();
    }, AUTOSAVE_DELAY_MS);
  }

  /** Writes the recovery copy now (after edits settle; also before the page goes away). */
  async autosaveNow(): Promise<void> {
    const doc = this.doc;
    if (!doc || !this.dirty) return;
    await this.#queue;
    try {
      const { savedAt } = await this.client.autosaveProject({
        docId: doc.docId,
        projectPath: this.projectPath,
      });
      // "Autosaved" is shown only once the recovery file is there, and only while the work is unsaved.
      if (this.doc?.docId === doc.docId && this.dirty) this.autosavedAt = savedAt;
      this.notices.resolved('autosave');
    } catch (caught) {
      this.notices.fail(caught, 'Autosave failed', 'autosave');
    }
  }

  /**
   * Runs engine work one piece at a time; a failure is shown and the queue goes on. `cause` names the
   * kind of work, so its error goes away once the same kind of work succeeds.
   */
  #enqueue(busy: string | null, work: () => Promise<void>, cause: string | null = null): Promise<void> {
    this.pending++;
    const run = this.#queue.then(async () => {
      if (busy) this.busy = busy;
      try {
        await work();
        if (cause) this.notices.resolved(cause);
      } catch (caught) {
        this.notices.fail(caught, undefined, cause);
      } finally {
        if (busy) this.busy = null;
        this.pending--;
      }
    });
    this.#queue = run;
    return run;
  }

  /** Waits for every edit sent so far to reach the engine (before saving or exporting). */
  settled(): Promise<unknown> {
    return this.#queue;
  }

  #state(): DocState {
    return { regions: this.regions, settings: this.settings, selectedId: this.selectedId };
  }

  #withRegion(region: Region): DocState {
    return { ...this.#state(), regions: this.regions.map((r) => (r.id === region.id ? region : r)) };
  }

  #region(id: string): Region {
    const region = this.regions.find((r) => r.id === id);
    if (!region) throw new StirError('NOT_FOUND', 'That region no longer exists.');
    return region;
  }

  #requireDoc(): OpenDocument {
    if (!this.doc) throw new StirError('NOT_FOUND', 'Open a photo first.');
    return this.doc;
  }
}

/** A point to a tenth of a pixel: finer than anyone draws, and it keeps project files small. */
function tenth(p: Point): Point {
  return { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
}
