// `stir animate PHOTO --region X,Y:MOTION[:STRENGTH] [--region ...] [--seconds S] [--fps F] -o OUT.mp4`
//
// Everything is checked before anything is written: the output path, the photo, every click and every
// motion word. The clip appears only when it is complete.
import { basename, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import {
  EXPORT_FORMAT_INFO,
  LIMITS,
  StartExportParamsSchema,
  StirError,
  runJob,
  type StirClient,
  type EngineId,
  type LoopMode,
} from '../../shared/index.js';
import { checkExportTarget } from '../../engine/export/staged-output.js';
import { prepareExportFolder, resolveExportTarget } from '../../engine/export/target-path.js';
import type { CliCommand, CliContext } from '../command.js';
import { progressPrinter } from '../progress.js';
import {
  addGuideFlag,
  guideOutsidePhoto,
  parseRegionSpec,
  scaleRegion,
  type CliRegion,
} from '../region-spec.js';
import { exportOptionsFromArgs, EXPORT_ARG_OPTIONS, EXPORT_USAGE } from '../export-options.js';

export const animateUsage = `Usage: stir animate PHOTO --region X,Y:MOTION[:STRENGTH][:dir=ANGLE] [--region ...] -o OUT

Animates the regions of a photo and writes a clip.

  --region SPEC     a region and its motion (repeatable):
                      X,Y:MOTION[:STRENGTH][:dir=ANGLE][:tempo=HZ][:start=S][:end=S][:seed=N]
                      X,Y;X,Y;!X,Y:MOTION   several clicks; "!" marks a negative click
                      all:MOTION            the whole photo (zoom in, pan...)
                      ...:path=X,Y;X,Y;X,Y  a motion path: a fluid (flow, drift, rise...) flows along
                                            it, a travel (launch, fall...) moves along it, others take
                                            its direction; several paths (arrows) split by "|"
                      ...:anchor=X,Y|X,Y    points a fluid region holds still around
                      ...:freeze=X,Y,R|...  discs of radius R a fluid region holds still (freeze brush)
                    STRENGTH: pixels per frame at a 512-pixel long side (default 4)
                    ANGLE: degrees counter-clockwise from pointing right (90 = up)
                    HZ: cycles per second of a periodic motion (sway, wave...), rounded to whole
                      cycles in the clip; strength widens the swing, never the tempo
  --path X,Y;X,Y... a motion path for the --region before it (repeatable), as :path= above
  --anchor X,Y      an anchor point for the --region before it (repeatable), as :anchor= above
  --seconds S       duration, ${LIMITS.secondsMin}-${LIMITS.secondsMax} (default 3)
  --fps F           frames per second, ${LIMITS.fpsMin}-${LIMITS.fpsMax} (default 24)
  --loop MODE       loop | once | pingpong (default loop)
  --engine NAME     motion (built in, default) | diffusion
  --pack DIR|ID     the model pack for --engine diffusion (its SAM, when it has one, answers the clicks)
  --anchor-first-frame on|off
                    diffusion: replace the generated frame 0 with the photo and remove its colour
                    drift from every frame (on), or keep the model's frames as they are (off);
                    default: what the pack's manifest says (off unless it says otherwise)
  -o, --output OUT  the clip to write, or a folder (ending in /) to write it into, named after the
                    photo and preset; the extension is set to match the format
${EXPORT_USAGE}
Example:
  stir animate examples/photos/coffee.png --region "300,120:rise:2" -o steam.mp4
  stir animate examples/photos/grass.png --region "200,300:flow:3" --path "40,320;200,260;380,330" \
    --anchor 210,300 -o field.mp4`;

export interface AnimateOptions {
  photo: string;
  regions: CliRegion[];
  output: string;
  seconds: number;
  fps: number;
  loop: LoopMode;
  engine: EngineId;
  pack: string | null;
  /** Diffusion: frame-0 anchoring on or off; null or left out, the pack's default. */
  anchorFirstFrame?: boolean | null;
}

function parseNumberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new StirError('BAD_REQUEST', `--${name} "${value}" is not a number.`);
  return number;
}

function parseLoop(value: string | undefined): LoopMode {
  if (value === undefined) return 'loop';
  if (value === 'loop' || value === 'once' || value === 'pingpong') return value;
  throw new StirError('BAD_REQUEST', `--loop "${value}" is not a loop mode: use loop, once or pingpong.`);
}

function parseOnOff(value: string | undefined, name: string): boolean | null {
  if (value === undefined) return null;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new StirError('BAD_REQUEST', `--${name} "${value}" is neither on nor off.`);
}

function parseEngine(value: string | undefined): EngineId {
  if (value === undefined) return 'motion';
  if (value === 'motion' || value === 'diffusion') return value;
  throw new StirError('BAD_REQUEST', `--engine "${value}" is not an engine: use motion or diffusion.`);
}

/** Opens the photo, makes each region (click -> mask), and sets the timing: what both animate and demo do. */
export async function buildDocument(
  client: StirClient,
  options: AnimateOptions,
  onNotice?: (notice: string) => void,
): Promise<string> {
  // Motion words first: an unknown word fails at once, before any segmentation.
  for (const region of options.regions) {
    const resolution = await client.resolveMotion({ prompt: region.prompt, engine: options.engine });
    if (!resolution.ok) {
      const message = resolution.message ?? `"${region.prompt}" is not a motion Stir knows.`;
      const named = resolution.suggestions.every((word) => message.includes(word));
      throw new StirError('UNKNOWN_MOTION', message, {
        details: { suggestions: resolution.suggestions },
        hint:
          named || resolution.suggestions.length === 0
            ? undefined
            : `Closest words: ${resolution.suggestions.join(', ')}.`,
      });
    }
  }
  const doc = await client.openPhoto({ source: { kind: 'path', path: options.photo } });
  // Coordinates are given on the file; a photo over Stir's limit opened scaled down, so they move with it
  // and are checked against the file's own size.
  const scaled = doc.scaledFrom;
  const { width, height } = scaled ?? doc;
  if (scaled) {
    onNotice?.(
      `${doc.name} is ${scaled.width}x${scaled.height}: Stir works on it scaled down to ${doc.width}x${doc.height}, ` +
        'the most it works at; the clip is made at that size or at --long-side.',
    );
  }
  for (const region of options.regions) {
    for (const click of region.clicks ?? []) {
      if (click.x < 0 || click.y < 0 || click.x >= width || click.y >= height) {
        throw new StirError(
          'CLICK_OUTSIDE_IMAGE',
          `The click ${click.x},${click.y} in --region "${region.source}" is outside the photo, which is ${width}x${height}.`,
          { hint: `Use x from 0 to ${width - 1} and y from 0 to ${height - 1}.` },
        );
      }
    }
    const outside = guideOutsidePhoto(region, width, height);
    if (outside) {
      throw new StirError(
        'BAD_REQUEST',
        `${outside} in --region "${region.source}" is outside the photo, which is ${width}x${height}.`,
        { hint: `Use x from 0 to ${width - 1} and y from 0 to ${height - 1}.` },
      );
    }
  }
  await client.updateSettings({
    docId: doc.docId,
    patch: {
      seconds: options.seconds,
      fps: options.fps,
      loop: options.loop,
      engine: options.engine,
      packId: options.pack,
      anchorFirstFrame: options.anchorFirstFrame ?? null,
    },
  });
  const factor = scaled ? doc.width / scaled.width : 1;
  for (const region of options.regions.map((r) => scaleRegion(r, factor))) {
    const mask = region.clicks
      ? (await client.segment({ docId: doc.docId, clicks: region.clicks })).mask
      : { width, height, data: new Uint8Array(width * height).fill(255) };
    await client.createRegion({
      docId: doc.docId,
      region: {
        name: region.clicks ? undefined : 'Whole photo',
        clicks: region.clicks ?? [],
        mask,
        motion: {
          prompt: region.prompt,
          strength: region.strength,
          direction: region.direction,
          seed: region.seed,
          tempo: region.tempo,
          start: region.start,
          end: region.end,
          paths: region.paths,
          anchors: region.anchors,
          freeze: region.freeze,
        },
      },
    });
  }
  return doc.docId;
}

export const animateCommand: CliCommand = {
  name: 'animate',
  summary: 'animate regions of a photo and write a clip',
  usage: animateUsage,
  async run(args: string[], context: CliContext): Promise<number> {
    const { values, positionals, tokens } = parseArgs({
      args,
      allowPositionals: true,
      tokens: true,
      options: {
        region: { type: 'string', multiple: true },
        path: { type: 'string', multiple: true },
        anchor: { type: 'string', multiple: true },
        seconds: { type: 'string' },
        fps: { type: 'string' },
        loop: { type: 'string' },
        engine: { type: 'string' },
        pack: { type: 'string' },
        'anchor-first-frame': { type: 'string' },
        output: { type: 'string', short: 'o' },
        ...EXPORT_ARG_OPTIONS,
      },
    });
    const [photo, ...extra] = positionals;
    if (!photo)
      throw new StirError('BAD_REQUEST', 'Which photo? Give its path first.', {
        hint: 'stir animate PHOTO --region X,Y:MOTION -o OUT.mp4',
      });
    if (extra.length > 0) throw new StirError('BAD_REQUEST', `Unexpected arguments: ${extra.join(' ')}.`);
    if (!values.output) throw new StirError('BAD_REQUEST', 'Where should the clip go? Give -o OUT.mp4.');
    // In the order given: a --path or --anchor belongs to the --region before it.
    const regions: CliRegion[] = [];
    for (const token of tokens) {
      if (token.kind !== 'option' || token.value === undefined) continue;
      if (token.name === 'region') regions.push(parseRegionSpec(token.value));
      else if (token.name === 'path' || token.name === 'anchor')
        addGuideFlag(regions.at(-1), token.name, token.value);
    }
    if (regions.length === 0) {
      throw new StirError(
        'BAD_REQUEST',
        'Give at least one --region, for example --region "240,120:sway" or --region "all:zoom in".',
      );
    }
    const engine = parseEngine(values.engine);
    if (engine === 'diffusion' && !values.pack) {
      throw new StirError(
        'PACK_MISSING',
        '--engine diffusion needs a model pack: give --pack DIR (or an installed pack id).',
        {
          hint: 'See `stir models list`.',
        },
      );
    }
    const options: AnimateOptions = {
      photo: resolve(context.cwd, photo),
      regions,
      output: resolve(context.cwd, values.output),
      seconds: parseNumberOption(values.seconds, 'seconds', 3),
      fps: parseNumberOption(values.fps, 'fps', 24),
      loop: parseLoop(values.loop),
      engine,
      pack: values.pack
        ? values.pack.includes('/') || values.pack.includes('\\')
          ? resolve(context.cwd, values.pack)
          : values.pack
        : null,
      anchorFirstFrame: parseOnOff(values['anchor-first-frame'], 'anchor-first-frame'),
    };
    const exportOptions = exportOptionsFromArgs(values);
    // Refuse an unwritable output before any work: the contract resolves the format a preset implies. A
    // folder (-o exports/) gets a clip named after the photo and preset; a wrong extension is corrected.
    const resolved = StartExportParamsSchema.parse({ docId: '-', path: options.output, ...exportOptions });
    const target = await resolveExportTarget({
      requested: /[\\/]$/.test(values.output) ? `${options.output}${sep}` : options.output,
      defaultFolder: context.cwd,
      photoName: basename(options.photo),
      format: resolved.format,
      preset: resolved.preset,
    });
    await prepareExportFolder(target);
    await checkExportTarget(target.path, {
      folder: EXPORT_FORMAT_INFO[resolved.format].folder,
      overwrite: resolved.overwrite,
    });
    if (target.notice) context.io.err(`${target.notice}\n`);

    const client = await context.client();
    const docId = await buildDocument(client, options, (notice) => context.io.err(`${notice}\n`));
    const printer = progressPrinter(context.io, 'Exporting');
    const result = await runJob(
      client,
      () => client.startExport({ docId, path: target.path, ...exportOptions }),
      'export',
      { onProgress: (p) => printer.update(p) },
      context.signal,
    ).finally(() => printer.done());
    context.io.out(
      `Wrote ${result.path} (${result.width}x${result.height}, ${result.frameCount} frames at ${result.fps} fps, ${(result.bytes / 1024).toFixed(0)} KiB) in ${(result.millis / 1000).toFixed(1)} s.\n`,
    );
    if (result.strengthNotes.length > 0) {
      // Regions were made in the order given, so each note is told against the --region it came from.
      const made = await client.listRegions({ docId });
      for (const { regionId, note } of result.strengthNotes) {
        const at = made.findIndex((region) => region.id === regionId);
        const source = options.regions[at]?.source ?? regionId;
        context.io.err(`--region "${source}": ${note}\n`);
      }
    }
    return 0;
  },
};
