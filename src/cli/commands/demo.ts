// `stir demo`: the main job on a real photo from examples/, the way a person would do it with clicks.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { runJob } from '../../shared/index.js';
import type { CliCommand } from '../command.js';
import { progressPrinter } from '../progress.js';
import { parseRegionSpec } from '../region-spec.js';
import { buildDocument } from './animate.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/photos/', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../../../output/demo/', import.meta.url));

/** Clicks and motions chosen for what is in each photo. */
const DEMOS = [
  {
    photo: 'rocket.jpg',
    output: 'rocket-launch.mp4',
    regions: ['320,250:launch:3', '150,385:drift:1'],
    what: 'the rocket lifts off while the clouds on the horizon drift',
  },
  {
    photo: 'chelsea.png',
    output: 'chelsea-breathe.mp4',
    regions: ['200,150:breathe:0.6'],
    what: 'the cat breathes',
  },
];

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'animate the example photos into clips (output/demo/)',
  usage:
    'Usage: stir demo\n\nAnimates photos from examples/photos with clicks and motion words, and says where the clips are.',
  async run(_args, context) {
    const client = await context.client();
    await mkdir(OUTPUT, { recursive: true });
    for (const demo of DEMOS) {
      const output = join(OUTPUT, demo.output);
      context.io.out(
        `${demo.photo}: ${demo.what} (stir animate ${demo.regions.map((r) => `--region "${r}"`).join(' ')})\n`,
      );
      const docId = await buildDocument(client, {
        photo: join(EXAMPLES, demo.photo),
        regions: demo.regions.map(parseRegionSpec),
        output,
        seconds: 3,
        fps: 24,
        loop: 'loop',
        engine: 'motion',
        pack: null,
      });
      const printer = progressPrinter(context.io, '  exporting');
      const result = await runJob(
        client,
        () => client.startExport({ docId, path: output, preset: 'web-mp4' }),
        'export',
        {
          onProgress: (p) => printer.update(p),
        },
        context.signal,
      ).finally(() => printer.done());
      context.io.out(
        `  wrote ${relative(context.cwd, result.path) || result.path} (${result.width}x${result.height}, ${result.frameCount} frames, ${(result.millis / 1000).toFixed(1)} s)\n`,
      );
      await client.closeDocument({ docId });
    }
    context.io.out(`\nYour clips are in ${OUTPUT}\n`);
    return 0;
  },
};
