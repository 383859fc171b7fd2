// Stair-step edges (issue 10, points 4 and 7): a mask made at a reduced size and enlarged by nearest
// pixel has an edge of blocky teeth, at least two pixels each way at the enlarged size. A mask drawn or
// refined at full size steps by single pixels: every corner of its outline has another corner next to it
// (a one-pixel step makes two). So the share of the outline's corners with no other corner within one
// pixel measures the teeth.

export interface StairSteps {
  /** Share (0-1) of the outline's corners that stand alone: 0 for a smooth edge, near 1 for teeth. */
  share: number;
  corners: number;
}

/** `mask`: 0-255 at its own size, on where >= 128. null when the outline has too few corners to judge. */
export function stairSteps(mask: { width: number; height: number; data: Uint8Array }): StairSteps | null {
  const on = Uint8Array.from(mask.data, (v) => (v >= 128 ? 1 : 0));
  const { alone, corners } = countCorners(on, mask.width, mask.height);
  if (corners < 8) return null;
  return { share: alone / corners, corners };
}

/** The outline's corners of a 0/1 set, and how many of them have no other corner within one pixel. */
export function countCorners(
  on: Uint8Array,
  width: number,
  height: number,
): { alone: number; corners: number } {
  // A corner: a 2x2 window (top-left x, y) with one or three pixels on.
  const cw = width - 1;
  const corner = new Uint8Array(cw * (height - 1));
  const list: number[] = [];
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < cw; x++) {
      const i = y * width + x;
      const count = on[i]! + on[i + 1]! + on[i + width]! + on[i + width + 1]!;
      if (count === 1 || count === 3) {
        corner[y * cw + x] = 1;
        list.push(y * cw + x);
      }
    }
  }
  let alone = 0;
  for (const c of list) {
    const x = c % cw;
    const y = Math.floor(c / cw);
    let neighbour = false;
    for (let dy = -1; dy <= 1 && !neighbour; dy++) {
      for (let dx = -1; dx <= 1 && !neighbour; dx++) {
        if (dx === 0 && dy === 0) continue;
        const nx = x + dx;
        const ny = y + dy;
        if (nx >= 0 && ny >= 0 && nx < cw && ny < height - 1 && corner[ny * cw + nx]) neighbour = true;
      }
    }
    if (!neighbour) alone++;
  }
  return { alone, corners: list.length };
}
