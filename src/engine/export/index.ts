// The clip exporter (issue 6): streams an Animation's frames as raw RGBA into ffmpeg, in any of the
// export formats, writing a temporary name that is renamed only when complete. Cancel or failure removes
// everything partial; a full disk or an unwritable folder is a StirError in words.
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  EXPORT_FORMAT_INFO,
  StirError,
  throwIfCancelled,
  type ExportFormat,
  type ExportMatte,
} from '../../shared/index.js';
import type { ClipExporter, ExportRequest, ExportWritten } from '../ports.js';
import type { Animation, JobControl } from '../render/types.js';
import type { RgbaImage } from '../image/types.js';
import { encode } from './encode.js';
import { fileSystemFailure } from './failures.js';
import { ffmpegWith, type LocateOptions, type LocatedFfmpeg } from './ffmpeg-locate.js';
import { FORMAT_SPECS, outputSize, type EncodeSetup } from './formats.js';
import { planFrames, totalFrames, type FramePlan } from './frame-plan.js';
import { hasTransparency, unionMatte, withMatteAlpha } from './matte.js';
import { SEQUENCE_SIDECAR, StagedOutput, mattePathFor } from './staged-output.js';

export interface ClipExporterOptions extends LocateOptions {
  /** Use this ffmpeg for every format instead of discovering one (tests, benchmarks). */
  ffmpegPath?: string;
}

export const DEFAULT_QUALITY = 75;

export function createClipExporter(options: ClipExporterOptions = {}): ClipExporter {
  return {
    extension: (format) => EXPORT_FORMAT_INFO[format].extension,
    export: (animation, request, control) => exportClip(animation, request, control, options),
  };
}

async function chooseFfmpeg(format: ExportFormat, options: ClipExporterOptions): Promise<LocatedFfmpeg> {
  const { needs } = FORMAT_SPECS[format];
  const what = EXPORT_FORMAT_INFO[format].label;
  if (options.ffmpegPath === undefined) return ffmpegWith(needs, what, options);
  return ffmpegWith(needs, what, { candidates: [{ source: 'env', path: options.ffmpegPath }] });
}

function checkRequest(request: ExportRequest, matte: ExportMatte, loops: number): void {
  const info = EXPORT_FORMAT_INFO[request.format];
  if (matte === 'alpha' && !info.alpha) {
    throw new StirError('UNSUPPORTED_FORMAT', `${info.label} has no alpha channel to carry the matte.`, {
      hint: 'Choose ProRes 4444, WebM, GIF, WebP, APNG or a PNG sequence, or export the matte as a separate clip.',
    });
  }
  if (matte !== 'none' && (request.mattes ?? []).length === 0) {
    throw new StirError(
      'EMPTY_MASK',
      'A matte needs at least one region: click the part of the photo that moves.',
    );
  }
  if (!Number.isInteger(loops) || loops < 0 || (loops === 0 && !info.loopMetadata)) {
    throw new StirError(
      'BAD_REQUEST',
      `${info.label} can only repeat the clip a whole number of times (1 or more).`,
    );
  }
}

/** Reads the first frame early: whether the clip has alpha decides the pixel format ffmpeg starts with. */
async function peeked(frames: AsyncIterable<RgbaImage>): Promise<{
  first: RgbaImage;
  all: AsyncIterable<RgbaImage>;
  /** Stops the animation's frame stream if the encoder did not read it to the end. */
  close(): Promise<void>;
}> {
  const iterator = frames[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) throw new StirError('INTERNAL', 'The animation gave no frames to export.');
  const first = head.value;
  const all = {
    async *[Symbol.asyncIterator]() {
      yield first;
      while (true) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    },
  };
  const close = async () => {
    await iterator.return?.();
  };
  return { first, all, close };
}

export async function exportClip(
  animation: Animation,
  request: ExportRequest,
  control: JobControl,
  options: ClipExporterOptions = {},
): Promise<ExportWritten> {
  const { signal } = control;
  const format = request.format;
  const info = EXPORT_FORMAT_INFO[format];
  const matteMode = request.matte ?? 'none';
  const quality = Math.min(100, Math.max(1, Math.round(request.quality ?? DEFAULT_QUALITY)));
  const loops = request.loops ?? (info.loopMetadata ? 0 : 1);
  checkRequest(request, matteMode, loops);

  const size = outputSize(format, animation.width, animation.height);
  if (size.width < 1 || size.height < 1) {
    throw new StirError('BAD_REQUEST', `${info.label} needs a clip at least 2 pixels on each side.`);
  }
  const ffmpeg = await chooseFfmpeg(format, options);
  throwIfCancelled(signal);

  const plan: FramePlan = {
    frameCount: animation.frameCount,
    pingPong: request.pingPong ?? false,
    repeats: info.loopMetadata ? 1 : loops,
  };
  const frameTotal = totalFrames(plan);
  // Video files repeat an encoded cycle by stream copy; the frames are rendered and encoded once. A clip
  // that repeats itself within its length (a loop of whole motion cycles, plan-period.ts) is such a
  // cycle too: one period is rendered and encoded, and played frameCount / period times per repeat.
  const remuxes = FORMAT_SPECS[format].remux !== null;
  const period = animation.period ?? animation.frameCount;
  const periodic =
    remuxes && !plan.pingPong && period < animation.frameCount && animation.frameCount % period === 0;
  const plays = (periodic ? animation.frameCount / period : 1) * plan.repeats;
  const copyRepeats = remuxes && plays > 1;
  const encodePlan: FramePlan = copyRepeats
    ? { ...plan, frameCount: periodic ? period : plan.frameCount, repeats: 1 }
    : plan;
  const encodeRepeats = copyRepeats ? plays : 1;
  const matte =
    matteMode === 'none' ? null : await unionMatte(request.mattes ?? [], animation.width, animation.height);

  const staged: StagedOutput[] = [];
  let closeFrames = async (): Promise<void> => undefined;
  try {
    const main = await StagedOutput.create(request.path, {
      folder: info.folder,
      overwrite: request.overwrite,
    });
    staged.push(main);
    const matteTarget = matteMode === 'separate' ? mattePathFor(request.path, info.folder) : null;
    const matteStage = matteTarget
      ? await StagedOutput.create(matteTarget, { folder: info.folder, overwrite: request.overwrite })
      : null;
    if (matteStage) staged.push(matteStage);

    const clipShare = matteStage ? 0.9 : 1;
    const { first, all, close } = await peeked(planFrames(animation, encodePlan, signal));
    closeFrames = close;
    const alpha = info.alpha && (matteMode === 'alpha' || hasTransparency(first));
    const setup: EncodeSetup = {
      width: animation.width,
      height: animation.height,
      fps: animation.fps,
      input: 'rgba',
      alpha,
      quality,
      plays: loops,
    };
    // GIF reads the frames twice: the first stream is the one already started, later ones start afresh.
    let fresh: AsyncIterable<RgbaImage> | null = all;
    const clipFrames = () => {
      const source = fresh ?? planFrames(animation, encodePlan, signal);
      fresh = null;
      return rawFrames(source, matteMode === 'alpha' ? matte : null, animation);
    };
    await encode({
      ffmpegPath: ffmpeg.path,
      format,
      setup,
      size,
      frames: clipFrames,
      frameTotal: totalFrames(encodePlan),
      repeats: encodeRepeats,
      output: outputOf(main),
      target: request.path,
      scratchDir: dirname(main.tempPath),
      signal,
      progress: (stage, fraction) => control.progress(stage, clipShare * fraction),
    });

    if (matteStage && matte) {
      await encode({
        ffmpegPath: ffmpeg.path,
        format,
        setup: { ...setup, input: 'gray', alpha: false },
        size,
        frames: () => repeated(matte, totalFrames(encodePlan)),
        frameTotal: totalFrames(encodePlan),
        repeats: encodeRepeats,
        output: outputOf(matteStage),
        target: matteStage.finalPath,
        scratchDir: dirname(matteStage.tempPath),
        signal,
        progress: (_stage, fraction) =>
          control.progress('Encoding the matte', clipShare + (1 - clipShare) * fraction),
      });
    }

    const sidecar = (stage: StagedOutput, isMatte: boolean) => ({
      generator: 'stir',
      format,
      fps: animation.fps,
      frameCount: frameTotal,
      width: size.width,
      height: size.height,
      pattern: framePattern(stage),
      firstFrame: 0,
      alpha: isMatte ? false : alpha,
      matte: isMatte ? 'separate' : matteMode,
      pingPong: plan.pingPong,
      repeats: plan.repeats,
    });
    if (info.folder) {
      for (const stage of staged) {
        const json = `${JSON.stringify(sidecar(stage, stage === matteStage), null, 2)}\n`;
        await writeFile(join(stage.tempPath, SEQUENCE_SIDECAR), json).catch((caught: unknown) => {
          throw fileSystemFailure(caught, stage.finalPath);
        });
      }
    }

    throwIfCancelled(signal);
    const bytes = await main.commit();
    if (matteStage) await matteStage.commit();
    control.progress('Encoding', 1);
    return {
      path: main.finalPath,
      bytes,
      width: size.width,
      height: size.height,
      frameCount: frameTotal,
      fps: animation.fps,
      mattePath: matteStage?.finalPath ?? null,
    };
  } catch (caught) {
    await closeFrames().catch(() => undefined);
    await Promise.all(staged.map((stage) => stage.discard()));
    if (signal.aborted) throw new StirError('CANCELLED', 'The export was cancelled.', { cause: caught });
    throw fileSystemFailure(caught, request.path);
  }
}

/** An image sequence names its frames after its folder: "clip/clip_00000.png". */
function framePattern(stage: StagedOutput): string {
  return `${basename(stage.finalPath)}_%05d.png`;
}

function outputOf(stage: StagedOutput): string {
  return stage.folder ? join(stage.tempPath, framePattern(stage)) : stage.tempPath;
}

/**
 * The frames as ffmpeg reads them; a frame of another size would shear every frame after it. Each frame
 * goes back to the animation once ffmpeg has it (encodeFrames asks for the next frame only then), for a
 * later frame's memory.
 */
async function* rawFrames(
  frames: AsyncIterable<RgbaImage>,
  matte: Uint8Array | null,
  animation: Animation,
): AsyncGenerator<Uint8Array> {
  const { width, height } = animation;
  for await (const image of frames) {
    if (image.width !== width || image.height !== height || image.data.length !== width * height * 4) {
      throw new StirError(
        'INTERNAL',
        `The animation gave a ${image.width}x${image.height} frame for a ${width}x${height} clip.`,
      );
    }
    yield matte ? withMatteAlpha(image, matte) : image.data;
    animation.recycle?.(image);
  }
}

async function* repeated(frame: Uint8Array, count: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield frame;
}

export {
  locateFfmpeg,
  locateFfprobe,
  ffmpegCandidates,
  ffmpegCapabilities,
  ffmpegWith,
} from './ffmpeg-locate.js';
