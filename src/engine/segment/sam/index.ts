// Finding and creating the SAM segmenter: from a pack folder, or the first installed pack that can segment.
import { StirError } from '../../../shared/index.js';
import { loadPack, type LoadedPack } from '../../models/validate.js';
import { SamSegmenter, type SamSegmenterOptions } from './sam-segmenter.js';

export { SamSegmenter, type SamSegmenterOptions } from './sam-segmenter.js';

/** The first pack that declares the segmenter capability, or null (then the classic segmenter is used). */
export function pickSegmenterPack(packs: readonly LoadedPack[]): LoadedPack | null {
  return (
    packs.find((p) => p.manifest.capabilities.includes('segmenter') && p.manifest.components.segmenter) ??
    null
  );
}

/** Loads the pack in `dir` (files checked by size; hashes are the installer's job) and makes its segmenter. */
export async function createSamSegmenter(
  dir: string,
  options: SamSegmenterOptions = {},
): Promise<SamSegmenter> {
  return new SamSegmenter(await loadPack(dir), options);
}

/**
 * The SAM segmenter of the first pack folder (in the given order) that loads and can segment, or null when
 * none can. A folder that is damaged or missing is passed over (the pack list shows its problem), so a
 * broken pack never takes clicking away: the classic segmenter remains.
 */
export async function findSamSegmenter(
  packDirs: readonly string[],
  options: SamSegmenterOptions = {},
): Promise<SamSegmenter | null> {
  for (const dir of packDirs) {
    let pack: LoadedPack;
    try {
      pack = await loadPack(dir);
    } catch (caught) {
      if (caught instanceof StirError) continue;
      throw caught;
    }
    if (pickSegmenterPack([pack])) return new SamSegmenter(pack, options);
  }
  return null;
}
