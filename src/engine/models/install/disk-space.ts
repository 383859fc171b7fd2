// Refuses work that cannot fit on the disk before it starts, rather than failing gigabytes in.
import { statfs } from 'node:fs/promises';
import { StirError, formatBytes } from '../../../shared/index.js';

/** Space kept free beyond what the work needs: a full disk breaks everything else on the machine too. */
const MARGIN_BYTES = 256 * 1024 * 1024;

export async function assertFreeSpace(dir: string, bytes: number, what: string): Promise<void> {
  const info = await statfs(dir).catch(() => null);
  if (info === null) return; // not knowable here: the write itself will say
  const free = info.bavail * info.bsize;
  if (free >= bytes + MARGIN_BYTES) return;
  throw new StirError(
    'DISK_FULL',
    `There is not enough free space for ${what}: it needs ${formatBytes(bytes)}, the disk has ${formatBytes(free)} free.`,
    {
      hint: `Free some space on the disk that holds ${dir}, or move the models folder to a larger disk.`,
      details: { dir, needed: bytes, free },
    },
  );
}
