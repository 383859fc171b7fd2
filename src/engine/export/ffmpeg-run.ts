// One ffmpeg process fed raw frames on stdin. Each write waits until the frame is handed to the pipe, so
// at most one frame is in flight whatever the clip's length (memory stays bounded), and a frame buffer the
// animation reuses is never read after the next frame is rendered into it.
import { spawn, type ChildProcess } from 'node:child_process';
import { StirError } from '../../shared/index.js';
import { dyingWithParent } from './die-with-engine.js';
import { ffmpegFailure } from './failures.js';

/** stderr kept for error messages: the end is what says why ffmpeg stopped. */
const STDERR_KEEP = 16 * 1024;

export class FfmpegRun {
  readonly #child: ChildProcess;
  readonly #target: string;
  readonly #exited: Promise<number | null>;
  /**
   * false once ffmpeg has exited; made once. A `.then` made inside write() would share write()'s closure
   * scope, which holds the frame, and stay attached to the pending exit until ffmpeg ends: every frame
   * written would be kept (35 MB a frame at 3640x2400; issue 10, point 6).
   */
  readonly #stopped: Promise<false>;
  #stderr = '';
  #spawnError: Error | null = null;
  #exitCode: number | null | undefined = undefined;

  /** Starts ffmpeg; `target` names the file it writes, for error messages. */
  constructor(ffmpegPath: string, args: readonly string[], target: string) {
    this.#target = target;
    // Killed with the engine, so a kill -9 of the engine never leaves ffmpeg finishing the clip.
    const command = dyingWithParent(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
    this.#child = spawn(command.command, command.args, {
      stdio: ['pipe', 'ignore', 'pipe'],
      windowsHide: true,
    });
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_KEEP);
    });
    // A write after ffmpeg stopped gives EPIPE; the exit code and stderr say why, so that is what we report.
    this.#child.stdin?.on('error', () => undefined);
    this.#exited = new Promise<number | null>((resolve) => {
      this.#child.once('error', (error) => {
        this.#spawnError = error;
        resolve(null);
      });
      this.#child.once('close', (code) => resolve(code));
    }).then((code) => {
      this.#exitCode = code;
      return code;
    });
    this.#stopped = this.#exited.then(() => false);
  }

  /** Hands one frame to ffmpeg; resolves once it is written to the pipe. */
  async write(frame: Uint8Array): Promise<void> {
    const stdin = this.#child.stdin;
    if (this.#exitCode !== undefined || !stdin || stdin.destroyed) throw await this.#failure();
    const written = new Promise<boolean>((resolve) => {
      stdin.write(frame, (error) => resolve(!error));
    });
    // Whichever comes first: the write completes, or ffmpeg exits (a write to a dead pipe may never end).
    const ok = await Promise.race([written, this.#stopped]);
    if (!ok) throw await this.#failure();
  }

  /** Closes stdin and waits for ffmpeg to finish writing; throws when it fails. */
  async finish(): Promise<void> {
    this.#child.stdin?.end();
    const code = await this.#exited;
    if (code !== 0) throw await this.#failure();
  }

  /** Stops ffmpeg at once (cancel, or a failure elsewhere) and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.#exitCode === undefined) this.#child.kill('SIGKILL');
    await this.#exited;
  }

  async #failure(): Promise<StirError> {
    const code = await this.#exited;
    if (this.#spawnError) {
      const missing = (this.#spawnError as NodeJS.ErrnoException).code === 'ENOENT';
      return new StirError(
        missing ? 'FFMPEG_MISSING' : 'FFMPEG_FAILED',
        `ffmpeg could not be started: ${this.#spawnError.message}`,
        {
          hint: 'Run `stir doctor` to see which ffmpeg Stir finds; STIR_FFMPEG chooses one.',
          cause: this.#spawnError,
        },
      );
    }
    return ffmpegFailure(this.#stderr, code, this.#target);
  }
}

/** Feeds frames to a new ffmpeg and waits for the file; kills ffmpeg on cancel or failure. */
export async function encodeFrames(
  ffmpegPath: string,
  args: readonly string[],
  frames: AsyncIterable<Uint8Array>,
  target: string,
  signal: AbortSignal,
  onFrame: (written: number) => void,
): Promise<void> {
  const run = new FfmpegRun(ffmpegPath, args, target);
  const abort = () => void run.kill();
  signal.addEventListener('abort', abort, { once: true });
  try {
    let written = 0;
    for await (const frame of frames) {
      if (signal.aborted) break;
      await run.write(frame);
      onFrame(++written);
    }
    if (signal.aborted) throw new StirError('CANCELLED', 'The export was cancelled.');
    await run.finish();
  } catch (caught) {
    await run.kill();
    if (signal.aborted) throw new StirError('CANCELLED', 'The export was cancelled.', { cause: caught });
    throw caught;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
