// A region as the motion engine takes it (RegionSpec), with the fields most tests leave at rest filled in:
// no direction, the whole clip, no pose. The id, mask, word, strength and seed are always the test's own.
import type { RegionSpec } from '../../src/engine/render/types.js';

export function regionSpec(
  fields: Pick<RegionSpec, 'id' | 'mask' | 'prompt' | 'strength' | 'seed'> & Partial<RegionSpec>,
): RegionSpec {
  return { direction: null, start: 0, end: null, pose: null, ...fields };
}
