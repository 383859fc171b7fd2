// `npm start`: the desktop app when Electron's binary is installed; otherwise one line saying how to get
// it, and that `npm run web` opens the same editor in a browser.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const binary = join(dir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

if (!electronBinary()) {
  console.log(
    "Electron's binary is not installed (it is downloaded with internet: `npm run setup:downloads`); `npm run web` opens the same editor in a browser.",
  );
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [require.resolve('electron-vite/bin/electron-vite.js'), 'preview'],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
