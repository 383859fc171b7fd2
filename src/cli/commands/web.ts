// `stir web`: browser mode. Serves the built editor and the engine on 127.0.0.1 with a per-launch token.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StirError } from '../../shared/index.js';
import { createEngine, defaultExportDir, projectsDirFor } from '../../engine/create-engine.js';
import { checkPackUrl } from '../../web/pack-source.js';
import { startWebServer, type WebServer } from '../../web/server.js';
import type { CliCommand } from '../command.js';

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../out/renderer/', import.meta.url));

export const webCommand: CliCommand = {
  name: 'web',
  summary: 'open the editor in a browser (serves it on 127.0.0.1 only)',
  usage: `Usage: stir web [--port N] [--folder DIR]...

Serves the editor built by \`npm run build:web\` (\`npm run web\` builds it first) and the engine on
127.0.0.1, and prints the link to open; the link carries a token every request must show.

The editor uploads the photos and projects you open. Saves and exports go to Stir's projects and export
folders, or to a path you type inside a folder named here with --folder (repeat it for more); the same
folders are where a typed path may open a project or install a model pack from. Stir never replaces a
file there that it did not write.`,
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        static: { type: 'string' },
        folder: { type: 'string', multiple: true },
      },
    });
    const staticDir = values.static ?? DEFAULT_STATIC_DIR;
    if (!existsSync(`${staticDir}/index.html`)) {
      throw new StirError('FILE_NOT_FOUND', 'The editor is not built yet.', {
        hint: 'Run `npm run web`, which builds it first.',
      });
    }
    const chosen = (values.folder ?? []).map((folder) => resolve(folder));
    for (const folder of chosen) {
      if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
        throw new StirError('FILE_NOT_FOUND', `--folder ${folder} is not a folder.`);
    }
    const exportDir = defaultExportDir();
    let server: WebServer | null = null;
    const engine = createEngine({
      exportDir,
      publishDownload: (path) => server?.publishDownload(path) ?? null,
      // The source URL is checked as the call arrives (web/confine.ts); this checks every redirect and
      // every file a remote manifest names, which only the install itself gets to see.
      checkRemoteAddress: (url) => checkPackUrl(url.href, false),
    });
    server = await startWebServer({
      staticDir,
      dispatch: engine.dispatch,
      bus: engine.bus,
      folders: { exports: exportDir, projects: projectsDirFor(exportDir), chosen },
      port: values.port ? Number(values.port) : Number(process.env.STIR_PORT ?? 0),
    });
    context.io.out(
      `Stir is running in browser mode. Open this link (it works on this machine only):\n\n  ${server.url}\n\n` +
        `It reads and writes files by path only in ${server.folders.join(', ')}.\nPress Ctrl+C to stop.\n`,
    );
    await new Promise<void>((resolve) =>
      context.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await server.close();
    await engine.dispose();
    return 0;
  },
};
