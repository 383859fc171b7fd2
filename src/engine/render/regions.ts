import type { Region } from '../../shared/index.js';
import type { RegionSpec } from './types.js';

/** The regions an engine animates: the visible ones, bottom to top. */
export function regionSpecs(regions: readonly Region[]): RegionSpec[] {
  return regions
    .filter((region) => region.visible)
    .map((region) => ({
      id: region.id,
      mask: region.mask,
      prompt: region.motion.prompt,
      strength: region.motion.strength,
      direction: region.motion.direction,
      seed: region.motion.seed,
      start: region.motion.start,
      end: region.motion.end,
      tempo: region.motion.tempo,
      pose: region.pose,
      paths: region.motion.paths,
      anchors: region.motion.anchors,
      freeze: region.motion.freeze,
    }));
}
