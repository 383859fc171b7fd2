// Runs after `npm ci`. The install scripts that download binaries from outside the npm registry
// (electron, ffmpeg-static, onnxruntime-node's CUDA libraries) are blocked by `allowScripts` in
// package.json, so an offline install always succeeds; this script then tries each of them, and a
// failure (no internet) is a one-line note instead of a failed install. With internet, a person gets the
// Electron binary, ffmpeg-static's ffmpeg and, on Linux x64, onnxruntime's CUDA provider, as usual.
//
// STIR_SKIP_DOWNLOADS=1 skips the tries (CI, air-gapped machines).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const TIMEOUT_MS = 10 * 60 * 1000;

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function tryInstall(name, script, what, args = [], env = process.env) {
  const dir = packageDir(name);
  if (!dir || !existsSync(join(dir, script))) return;
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: TIMEOUT_MS,
    env,
  });
  if (result.status === 0) {
    console.log(`stir: ${what} ready.`);
  } else {
    const reason = (result.stderr?.toString() ?? '').match(
      /(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo)[^\n]*/,
    )?.[0];
    console.log(
      `stir: ${what} could not be downloaded${reason ? ` (${reason.trim()})` : ''}; skipped. ${hints[name]}`,
    );
  }
}

const hints = {
  electron:
    'The editor still runs in a browser with `npm run web`; run `npm run setup:downloads` with internet for the desktop app.',
  'ffmpeg-static': 'Stir will use another ffmpeg (see `npm run stir -- doctor`).',
  'onnxruntime-node': 'The CPU provider is bundled and works; the CUDA provider needs this download.',
};

if (process.env.STIR_SKIP_DOWNLOADS) {
  console.log('stir: STIR_SKIP_DOWNLOADS is set; not downloading Electron, ffmpeg-static or CUDA libraries.');
} else {
  tryInstall('electron', 'install.js', 'Electron binary');
  tryInstall('ffmpeg-static', 'install.js', 'ffmpeg-static binary');
  if (process.platform === 'linux' && process.arch === 'x64') {
    // Its script skips itself when it believes it runs inside onnxruntime's own repository, which it
    // infers from these two npm variables; without them it checks for the CUDA files and fetches them.
    const { npm_package_json: _json, npm_config_local_prefix: _prefix, ...env } = process.env;
    tryInstall('onnxruntime-node', 'script/install.js', 'onnxruntime CUDA provider', [], env);
  }
}
