// Job progress on the terminal: one line redrawn in place when interactive, a line every few seconds
// otherwise (logs, CI).
import { formatEta, type JobProgress } from '../shared/index.js';
import type { CliIO } from './command.js';

export function progressPrinter(
  io: CliIO,
  label: string,
): { update(progress: JobProgress): void; done(): void } {
  let lastLine = 0;
  let drawn = false;
  return {
    update(progress) {
      const percent = Math.round(progress.fraction * 100);
      const eta = formatEta(progress.etaSeconds) ?? '';
      const text = `${label}: ${progress.stage} ${percent}%${eta ? ` (${eta})` : ''}`;
      if (io.interactive) {
        const width = 24;
        const filled = Math.round(progress.fraction * width);
        io.out(`\r\x1b[2K${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${text}`);
        drawn = true;
      } else if (performance.now() - lastLine > 3000 || progress.fraction >= 1) {
        io.out(`${text}\n`);
        lastLine = performance.now();
      }
    },
    done() {
      if (drawn) io.out('\r\x1b[2K');
    },
  };
}
