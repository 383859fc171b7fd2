/** An 8-bit RGBA image, row-major, 4 bytes per pixel, straight (not premultiplied) alpha. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function createRgba(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

export function assertRgba(image: RgbaImage): void {
  if (image.data.length !== image.width * image.height * 4) {
    throw new Error(`RGBA data is ${image.data.length} bytes, expected ${image.width * image.height * 4}`);
  }
}

/** The size that fits `longSide` on the longer side, keeping the aspect ratio (never upscales). */
export function fitLongSide(
  width: number,
  height: number,
  longSide: number | null,
): { width: number; height: number } {
  if (longSide === null || Math.max(width, height) <= longSide) return { width, height };
  const scale = longSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
