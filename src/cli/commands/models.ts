// `stir models list|install|verify|remove|devices`: the model manager on the command line, through the
// same contract as the editor's.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  StirError,
  formatBytes,
  runJob,
  DeviceChoiceSchema,
  DeviceIdSchema,
  type Devices,
  type StirClient,
  type VerifyPackResult,
  type CatalogListing,
} from '../../shared/index.js';
import { manifestJsonSchema } from '../../engine/models/manifest-schema.js';
import type { CliCommand, CliContext } from '../command.js';
import { progressPrinter } from '../progress.js';

export const modelsUsage = `Usage: stir models <list|catalog|install|verify|remove|devices|schema> [...]

Manages the model packs of the diffusion engine and the SAM segmenter.

  stir models list                      what is installed: size, what each pack can do
  stir models catalog [ID]              the packs Stir knows, how to get each (exporter command,
                                        licence, sources, files and sizes), which are installed
  stir models install SOURCE            SOURCE: a pack folder, a .zip, or an http(s) URL of either
      --sha256 HEX                      the .zip's sha256, checked before it is unpacked
      --replace                         replace an installed pack with the same id
  stir models verify [ID ...]           re-check every file (size, sha256) and model of the packs
  stir models remove ID                 delete a pack
  stir models devices [--set DEVICE]    the devices models can run on; DEVICE: auto, cpu, cuda, ...
  stir models schema                    the JSON Schema of stir-pack.json, for pack authors
                                        (docs/model-packs.md explains each field, with an example)

Downloads resume where they stopped and honour HTTPS_PROXY, HTTP_PROXY and NO_PROXY; Ctrl+C cancels
and leaves the models folder as it was.`;

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'list, install, verify and remove model packs; choose the device',
  usage: modelsUsage,
  async run(args: string[], context: CliContext): Promise<number> {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'list':
        return list(rest, context);
      case 'catalog':
        return catalog(rest, context);
      case 'install':
        return install(rest, context);
      case 'verify':
        return verify(rest, context);
      case 'remove':
        return remove(rest, context);
      case 'devices':
        return devices(rest, context);
      case 'schema':
        noArguments(rest, 'schema');
        context.io.out(`${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
        return 0;
      default:
        throw new StirError(
          'BAD_REQUEST',
          sub ? `"${sub}" is not a models command.` : 'Which models command?',
          { hint: 'Use list, catalog, install, verify, remove, devices or schema (stir models --help).' },
        );
    }
  },
};

async function list(args: string[], context: CliContext): Promise<number> {
  noArguments(args, 'list');
  const client = await context.client();
  const { modelsDir, packs } = await client.listPacks({});
  const { io } = context;
  io.out(`Models folder: ${modelsDir}\n`);
  if (packs.length === 0) {
    io.out('No model pack is installed. Install one with: stir models install <folder, .zip or URL>\n');
    return 0;
  }
  const rows = packs.map((p) => [
    p.id,
    p.version || '-',
    formatBytes(p.bytes),
    p.capabilities.join(', ') || '-',
    p.status === 'ready' ? p.name : `BROKEN: ${p.problem ?? ''}`,
  ]);
  io.out(table(['ID', 'VERSION', 'SIZE', 'CAN DO', 'NAME'], rows));
  return 0;
}

async function catalog(args: string[], context: CliContext): Promise<number> {
  const [id, ...extra] = args;
  if (extra.length > 0) throw new StirError('BAD_REQUEST', `Unexpected arguments: ${extra.join(' ')}.`);
  const client = await context.client();
  const { entries, unknownInstalled } = await client.listCatalog({});
  const { io } = context;
  if (id === undefined) {
    const size = (entry: CatalogListing['entries'][number]) =>
      entry.variants
        .map((v) => `${v.precision} ${formatBytes(v.files.reduce((n, f) => n + f.approxBytes, 0))}`)
        .join(', ');
    const rows = entries.map((e) => [
      e.id,
      e.capabilities.join(', '),
      size(e),
      e.installed.length > 0 ? `yes (${e.installed.join(', ')})` : 'no',
      e.name,
    ]);
    io.out(table(['ID', 'CAN DO', 'SIZE (ABOUT)', 'INSTALLED', 'NAME'], rows));
    if (unknownInstalled.length > 0)
      io.out(`Installed, not in the catalog: ${unknownInstalled.join(', ')}\n`);
    io.out('How to get one: stir models catalog ID\n');
    return 0;
  }
  const entry = entries.find((e) => e.id === id || e.variants.some((v) => v.packId === id));
  if (!entry) {
    throw new StirError('NOT_FOUND', `The catalog has no pack "${id}".`, {
      hint: `Known: ${entries.map((e) => e.id).join(', ')}.`,
    });
  }
  io.out(`${entry.name} (${entry.id}): ${entry.summary}\n`);
  io.out(`Can do: ${entry.capabilities.join(', ')}\nLicence: ${entry.license}\n`);
  io.out(`Installed: ${entry.installed.length > 0 ? entry.installed.join(', ') : 'no'}\nSources:\n`);
  for (const source of entry.sources) {
    const bytes = source.approxBytes ? `, about ${formatBytes(source.approxBytes)}` : '';
    io.out(`  ${source.name} (${source.license}${bytes})\n    ${source.url}\n`);
  }
  io.out('How to get it:\n');
  entry.howToGet.forEach((step, i) => io.out(`  ${i + 1}. ${step}\n`));
  io.out(`Needs: ${entry.needs}\n`);
  for (const variant of entry.variants) {
    io.out(`Pack "${variant.packId}" (${variant.precision}):\n    ${variant.command}\n`);
    for (const file of variant.files) io.out(`    ${file.path}  about ${formatBytes(file.approxBytes)}\n`);
  }
  return 0;
}

async function install(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { sha256: { type: 'string' }, replace: { type: 'boolean', default: false } },
  });
  const [source, ...extra] = positionals;
  if (!source) {
    throw new StirError('BAD_REQUEST', 'What should be installed? Give a pack folder, a .zip or a URL.', {
      hint: 'stir models install ./my-pack.zip',
    });
  }
  if (extra.length > 0) throw new StirError('BAD_REQUEST', `Unexpected arguments: ${extra.join(' ')}.`);
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(source);
  const client = await context.client();
  const printer = progressPrinter(context.io, 'Installing');
  const result = await runJob(
    client,
    () =>
      client.installPack({
        source: isUrl ? source : resolve(context.cwd, source),
        sha256: values.sha256,
        replace: values.replace,
      }),
    'pack-install',
    { onProgress: (p) => printer.update(p) },
    context.signal,
  ).finally(() => printer.done());
  const { pack } = result;
  const downloaded = result.downloadedBytes > 0 ? `, downloaded ${formatBytes(result.downloadedBytes)}` : '';
  const resumed = result.resumedAt.length > 0 ? `, resumed ${result.resumedAt.length}x` : '';
  context.io.out(
    `Installed ${pack.name} ${pack.version} as "${pack.id}"${result.replaced ? ` (replacing ${result.replaced})` : ''}: ` +
      `${formatBytes(pack.bytes)}, can do ${pack.capabilities.join(', ')}${downloaded}${resumed}, in ${(result.millis / 1000).toFixed(1)} s.\n`,
  );
  return 0;
}

async function verify(args: string[], context: CliContext): Promise<number> {
  const client = await context.client();
  const ids = args.length > 0 ? args : (await client.listPacks({})).packs.map((p) => p.id);
  if (ids.length === 0) {
    context.io.out('No model pack is installed.\n');
    return 0;
  }
  let allOk = true;
  for (const id of ids) {
    const result = await client.verifyPack({ packId: id });
    printVerify(context, result);
    allOk &&= result.ok;
  }
  return allOk ? 0 : 1;
}

function printVerify(context: CliContext, result: VerifyPackResult): void {
  const { io } = context;
  io.out(
    `${result.packId}: ${result.ok ? 'OK' : 'PROBLEMS'} (${result.files.length} files, ${(result.millis / 1000).toFixed(1)} s)\n`,
  );
  for (const file of result.files) {
    io.out(`  ${file.ok ? 'ok     ' : 'FAILED '} ${file.path}${file.problem ? `: ${file.problem}` : ''}\n`);
  }
  const fileProblems = new Set(result.files.filter((f) => f.problem).map((f) => `${f.path}: ${f.problem}`));
  for (const problem of result.problems) if (!fileProblems.has(problem)) io.out(`  FAILED  ${problem}\n`);
}

async function remove(args: string[], context: CliContext): Promise<number> {
  const [id, ...extra] = args;
  if (!id) throw new StirError('BAD_REQUEST', 'Which pack? Give its id (see stir models list).');
  if (extra.length > 0) throw new StirError('BAD_REQUEST', `Unexpected arguments: ${extra.join(' ')}.`);
  const client = await context.client();
  const result = await client.removePack({ packId: id });
  if (!result.removed) {
    throw new StirError('NOT_FOUND', `No model pack "${id}" is installed.`, {
      hint: 'See stir models list.',
    });
  }
  context.io.out(`Removed "${id}" (${formatBytes(result.bytes)} freed).\n`);
  return 0;
}

async function devices(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { set: { type: 'string' } },
  });
  if (positionals.length > 0)
    throw new StirError('BAD_REQUEST', `Unexpected arguments: ${positionals.join(' ')}.`);
  const client: StirClient = await context.client();
  let result: Devices;
  if (values.set !== undefined) {
    const choice = DeviceChoiceSchema.safeParse(values.set);
    if (!choice.success) {
      throw new StirError('BAD_REQUEST', `"${values.set}" is not a device.`, {
        hint: `Choose one of: auto, ${DeviceIdSchema.options.join(', ')}.`,
      });
    }
    result = await client.setDevice({ device: choice.data });
  } else {
    result = await client.listDevices({});
  }
  const rows = result.devices.map((d) => [
    d.id === result.active ? `* ${d.id}` : `  ${d.id}`,
    d.name,
    d.available ? 'yes' : 'no',
    d.note,
  ]);
  context.io.out(table(['DEVICE', 'NAME', 'USABLE', 'NOTE'], rows));
  context.io.out(`Choice: ${result.choice}; models run on: ${result.active}.\n`);
  if (result.note) context.io.out(`${result.note}\n`);
  return 0;
}

// --- formatting -------------------------------------------------------------------------------------

function noArguments(args: string[], sub: string): void {
  if (args.length > 0) throw new StirError('BAD_REQUEST', `stir models ${sub} takes no arguments.`);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
