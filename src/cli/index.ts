// The `stir` command line: `stir <command> [args]`. Every command talks to the engine through the same
// typed contract as the editor (here over the in-process transport).
import { createClient, StirError, type StirClient } from '../shared/index.js';
import { inProcessTransport } from '../shared/rpc/in-process.js';
import { createEngine, type EngineHandle } from '../engine/create-engine.js';
import type { CliCommand, CliContext, CliIO } from './command.js';
import { commands } from './commands/index.js';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Stir: animate a photo region by region.\n\nUsage: stir <command> [options]\n\nCommands:\n${list}\n\nRun \`stir <command> --help\` for a command's options.\n`;
}

export async function runCli(argv: string[], io: CliIO, cwd = process.cwd()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const command: CliCommand | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`stir: there is no command "${name}".\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.usage + '\n');
    return 0;
  }

  const controller = new AbortController();
  const onSigint = () => {
    io.err('\nstir: cancelling...\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let engine: EngineHandle | null = null;
  let client: StirClient | null = null;
  const context: CliContext = {
    io,
    cwd,
    signal: controller.signal,
    async client() {
      engine ??= createEngine({});
      client ??= createClient(inProcessTransport(engine.dispatch, engine.bus));
      return client;
    },
  };
  try {
    return await command.run(args, context);
  } catch (caught) {
    const error = StirError.fromCaught(caught);
    if (error.code === 'INTERNAL') console.error(caught);
    io.err(`stir ${command.name}: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
    return error.code === 'BAD_REQUEST' ? 2 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await (engine as EngineHandle | null)?.dispose();
  }
}

const isMain = process.argv[1] !== undefined && /[\\/]bin[\\/]stir(\.js)?$/.test(process.argv[1]);
if (isMain || process.env.STIR_CLI_MAIN === '1') {
  const io: CliIO = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: Boolean(process.stdout.isTTY),
  };
  const code = await runCli(process.argv.slice(2), io);
  process.exitCode = code;
}
