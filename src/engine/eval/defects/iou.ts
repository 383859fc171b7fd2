// Selection quality (issue 10, points 5 and 7): intersection over union of a region's mask with an
// outline drawn by hand, both at the same size (0-255, on where >= 128).
import type { Mask } from '../../../shared/index.js';

export function maskIou(mask: Mask, outline: Mask): number {
  if (mask.width !== outline.width || mask.height !== outline.height) {
    throw new Error(`mask is ${mask.width}x${mask.height}, outline ${outline.width}x${outline.height}`);
  }
  let both = 0;
  let either = 0;
  for (let i = 0; i < mask.data.length; i++) {
    const a = mask.data[i]! >= 128;
    const b = outline.data[i]! >= 128;
    if (a && b) both++;
    if (a || b) either++;
  }
  return either > 0 ? both / either : 1;
}
