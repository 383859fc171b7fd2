// ffmpeg dies with the engine (issue 14, point 2). Killed with kill -9, the engine cannot stop its
// ffmpeg, which then read end-of-file on its stdin and finished the clip under the hidden name. On Linux
// the kernel can send a child a signal when its parent dies (prctl PR_SET_PDEATHSIG), which Node does not
// offer; util-linux's setpriv (in every Debian, Ubuntu and Fedora base system) sets it and then execs
// ffmpeg in the same process, so ffmpeg is killed the moment the engine is. Elsewhere, or without
// setpriv, an orphaned ffmpeg ends at its stdin's end of file, and what it wrote is under a temporary
// name that the next start's sweep removes (system/leftovers.ts).
import { accessSync, constants } from 'node:fs';
import { isAbsolute } from 'node:path';

const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv'];

let setpriv: string | null | undefined;

function findSetpriv(): string | null {
  if (setpriv !== undefined) return setpriv;
  setpriv = null;
  if (process.platform !== 'linux') return setpriv;
  for (const path of SETPRIV_PATHS) {
    try {
      accessSync(path, constants.X_OK);
      setpriv = path;
      break;
    } catch {
      // not here
    }
  }
  return setpriv;
}

/**
 * The command that runs `command args` so that it is killed when this process dies, where the platform
 * allows; otherwise the command as it is. Only an absolute path to an executable is wrapped, so a missing
 * ffmpeg still fails to spawn with ENOENT (and is reported as missing), not as setpriv's exit code.
 */
export function dyingWithParent(
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  const wrapper = findSetpriv();
  if (wrapper === null || !isAbsolute(command) || !isExecutable(command)) {
    return { command, args: [...args] };
  }
  return { command: wrapper, args: ['--pdeathsig', 'KILL', '--', command, ...args] };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
