// Draws a person bound to their skeleton (plan-skin.ts): the filled background over the region's box,
// then every mesh triangle at its pose for the frame, each pixel taking the person's colour and opacity
// from where it was at rest (barycentric coordinates map a posed pixel back into the photo). "The photo"
// is the plan's photo, or the picture the person carries (carried-fields.ts: the photo with the face
// words drawn on it, so a waving person's face still smiles and blinks).
import type { FramePlan, SkinRegionPlan } from '../motion/plan.js';

export function drawSkin(
  plan: FramePlan,
  region: SkinRegionPlan,
  frame: number,
  out: Uint8Array,
  covered: boolean,
  photo: Uint8Array = plan.photo,
): boolean {
  const { box, background, meshBox, alpha, foreground, rest, triangles, positions } = region;
  const { width } = plan;
  const bw = box.x1 - box.x0;
  if (!region.moving[frame]) {
    // At rest over regions that moved: the photo again.
    if (covered) {
      for (let y = box.y0; y < box.y1; y++)
        out.set(photo.subarray((y * width + box.x0) * 4, (y * width + box.x1) * 4), (y * width + box.x0) * 4);
    }
    return false;
  }
  // The background: the fill where the person was, as much of it as the limbs have moved away.
  const reveal = region.reveal[frame]!;
  for (let y = box.y0; y < box.y1; y++) {
    const row = background.subarray((y - box.y0) * bw * 4, (y - box.y0 + 1) * bw * 4);
    const at = (y * width + box.x0) * 4;
    if (reveal >= 1) {
      out.set(row, at);
      continue;
    }
    for (let i = 0; i < row.length; i++) {
      const seen = photo[at + i]!;
      out[at + i] = seen + reveal * (row[i]! - seen) + 0.5;
    }
  }
  const vertices = rest.length / 2;
  const at = frame * vertices * 2;
  const mw = meshBox.x1 - meshBox.x0;
  const mh = meshBox.y1 - meshBox.y0;
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t]!;
    const b = triangles[t + 1]!;
    const c = triangles[t + 2]!;
    const ax = positions[at + a * 2]!;
    const ay = positions[at + a * 2 + 1]!;
    const bx = positions[at + b * 2]!;
    const by = positions[at + b * 2 + 1]!;
    const cx = positions[at + c * 2]!;
    const cy = positions[at + c * 2 + 1]!;
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (Math.abs(area) < 1e-9) continue;
    const x0 = Math.max(box.x0, Math.floor(Math.min(ax, bx, cx)));
    const y0 = Math.max(box.y0, Math.floor(Math.min(ay, by, cy)));
    const x1 = Math.min(box.x1 - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y1 = Math.min(box.y1 - 1, Math.ceil(Math.max(ay, by, cy)));
    // Edge ownership (the top-left rule), so a pixel on an edge two triangles share is drawn once.
    const own = (ex: number, ey: number) =>
      area > 0 ? ey < 0 || (ey === 0 && ex > 0) : ey > 0 || (ey === 0 && ex < 0);
    const ownA = own(cx - bx, cy - by);
    const ownB = own(ax - cx, ay - cy);
    const ownC = own(bx - ax, by - ay);
    const rax = rest[a * 2]! - meshBox.x0 - 0.5;
    const ray = rest[a * 2 + 1]! - meshBox.y0 - 0.5;
    const rbx = rest[b * 2]! - meshBox.x0 - 0.5;
    const rby = rest[b * 2 + 1]! - meshBox.y0 - 0.5;
    const rcx = rest[c * 2]! - meshBox.x0 - 0.5;
    const rcy = rest[c * 2 + 1]! - meshBox.y0 - 0.5;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        // Barycentric weights of the pixel centre (of a, b, c), from the edges opposite each vertex.
        const ea = (cx - bx) * (py - by) - (cy - by) * (px - bx);
        const eb = (ax - cx) * (py - cy) - (ay - cy) * (px - cx);
        const ec = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
        const wa = ea / area;
        const wb = eb / area;
        const wc = ec / area;
        if (wa < 0 || wb < 0 || wc < 0) continue;
        if ((wa === 0 && !ownA) || (wb === 0 && !ownB) || (wc === 0 && !ownC)) continue;
        const sx = Math.min(mw - 1.001, Math.max(0, wa * rax + wb * rbx + wc * rcx));
        const sy = Math.min(mh - 1.001, Math.max(0, wa * ray + wb * rby + wc * rcy));
        const ix = sx | 0;
        const iy = sy | 0;
        const fx = sx - ix;
        const fy = sy - iy;
        const k = iy * mw + ix;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        const o = alpha[k]! * w00 + alpha[k + 1]! * w10 + alpha[k + mw]! * w01 + alpha[k + mw + 1]! * w11;
        if (o <= 0) continue;
        const oi = (y * width + x) * 4;
        if (o >= 1) {
          // Where the person is opaque its colours are the photo's (the foreground is the photo there), so
          // they are read from the photo, or from the picture carried in its place.
          const p = ((iy + meshBox.y0) * width + ix + meshBox.x0) * 4;
          const q = p + width * 4;
          for (let ch = 0; ch < 4; ch++)
            out[oi + ch] =
              photo[p + ch]! * w00 +
              photo[p + 4 + ch]! * w10 +
              photo[q + ch]! * w01 +
              photo[q + 4 + ch]! * w11 +
              0.5;
          continue;
        }
        const p = k * 4;
        const q = (k + mw) * 4;
        for (let ch = 0; ch < 4; ch++) {
          const colour =
            foreground[p + ch]! * w00 +
            foreground[p + 4 + ch]! * w10 +
            foreground[q + ch]! * w01 +
            foreground[q + 4 + ch]! * w11;
          out[oi + ch] = o * colour + (1 - o) * out[oi + ch]! + 0.5;
        }
      }
    }
  }
  return true;
}
