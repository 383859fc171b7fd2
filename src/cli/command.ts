// A `stir` subcommand: a name, one line of help, its usage, and a run function that returns the exit code.
// Commands talk to the engine only through the typed client (the in-process transport of the contract).
import type { StirClient } from '../shared/index.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress bars redraw in place). */
  readonly interactive: boolean;
}

export interface CliContext {
  io: CliIO;
  cwd: string;
  /** The engine, started on first use (doctor and help do not need it). */
  client(): Promise<StirClient>;
  /** Fires on Ctrl+C: a running job is cancelled and nothing half-written is left. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], context: CliContext): Promise<number>;
}
