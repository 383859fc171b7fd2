// Dense optical flow for measuring animations (QUALITY.md): grey frames at a 512-pixel long side,
// pyramidal Lucas-Kanade (lucas-kanade.ts).
import { boundsWhere, boxHeight, boxWidth, growBox } from '../image/bounds.js';
import type { GreyImage } from './grey.js';
import { estimateFlow, type FlowField, type FlowOptions } from './lucas-kanade.js';

export { estimateFlow, type FlowField, type FlowOptions } from './lucas-kanade.js';
export { toGrey, shrinkGrey, sizeForLongSide, type GreyImage } from './grey.js';

/**
 * Flow between two frames of a clip, estimated only around the pixels that differ (padded by `pad`):
 * elsewhere the frames are identical and the flow is zero, as estimateFlow itself would find.
 * Same result for a clip whose motion is confined to regions, at a fraction of the cost.
 */
export function flowWhereChanged(
  first: GreyImage,
  second: GreyImage,
  options: FlowOptions = {},
  pad = 32,
): FlowField {
  const { width, height } = first;
  const changed = boundsWhere(width, height, (i) => first.data[i] !== second.data[i]);
  const u = new Float32Array(width * height);
  const v = new Float32Array(width * height);
  if (!changed) return { width, height, u, v };
  const box = growBox(changed, pad, width, height);
  const { x0, y0 } = box;
  const cw = boxWidth(box);
  const ch = boxHeight(box);
  const crop = (image: GreyImage): GreyImage => {
    const data = new Float32Array(cw * ch);
    for (let y = 0; y < ch; y++)
      data.set(image.data.subarray((y0 + y) * width + x0, (y0 + y) * width + x0 + cw), y * cw);
    return { width: cw, height: ch, data };
  };
  const flow = estimateFlow(crop(first), crop(second), options);
  for (let y = 0; y < ch; y++) {
    u.set(flow.u.subarray(y * cw, (y + 1) * cw), (y0 + y) * width + x0);
    v.set(flow.v.subarray(y * cw, (y + 1) * cw), (y0 + y) * width + x0);
  }
  return { width, height, u, v };
}
