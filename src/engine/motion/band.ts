// The band around a region where motion may change pixels. QUALITY.md measures every metric against the
// regions dilated by 2% of the long side: pixels beyond that band stay exactly as in the photo in every
// frame. These sizes are all relative to the output's long side so a preview and an export look alike.

export interface BandSizes {
  /** Output pixels per pixel at a 512-pixel long side: strengths are given at 512 (QUALITY.md). */
  unit: number;
  /** Pixels beyond this distance from the region never change (a pixel inside the 2% band). */
  band: number;
  /** Width of the clip's fade at the band's outer edge. */
  clipFade: number;
  /** The layer is fully opaque this far outside the region (takes the region's soft edge with it). */
  layerGrow: number;
  /**
   * Then fades to transparent over this width: the feathered edge. It reaches a few pixels past the mask
   * so the layer takes the object's rim that a segmenter's mask misses along (the background is filled
   * under all of it, so no outline stays behind), yet is faint there, so the ring of old background it
   * carries does not show as a halo where it moves over different background.
   */
  layerFeather: number;
  /** The largest displacement of a bounded layer motion: the region's edge never reaches the clip's fade. */
  layerTravel: number;
  /** Beyond the layer's footprint, a ring the background fill takes no colours from (the object's rim). */
  rimRing: number;
}

export function bandSizes(width: number, height: number): BandSizes {
  const long = Math.max(width, height);
  const band = Math.max(1, 0.02 * long - 1);
  const clipFade = Math.min(band, Math.max(1.5, 0.006 * long));
  const layerGrow = Math.max(1, 0.002 * long);
  const layerFeather = Math.max(2.5, 0.007 * long);
  return {
    unit: long / 512,
    band,
    clipFade,
    layerGrow,
    layerFeather,
    layerTravel: Math.max(1, band - clipFade),
    rimRing: Math.max(2, 0.006 * long),
  };
}
