// The size the VAE and the UNet work at (MODEL-PACKS.md, "Full resolution"): about 512 pixels on the long
// side, each side a multiple of 64 (so the latent, 1/8, divides by the UNet's three downsamplings), the
// photo's aspect kept as closely as the multiple allows. A UNet exported with a fixed latent size decides.

export interface WorkingSize {
  width: number;
  height: number;
}

export function workingSize(
  photoWidth: number,
  photoHeight: number,
  longSide: number,
  fixedLatent?: { width: number; height: number } | null,
): WorkingSize {
  if (fixedLatent) return { width: fixedLatent.width * 8, height: fixedLatent.height * 8 };
  const scale = longSide / Math.max(photoWidth, photoHeight);
  const round64 = (v: number) => Math.max(64, Math.round(v / 64) * 64);
  return { width: round64(photoWidth * scale), height: round64(photoHeight * scale) };
}
