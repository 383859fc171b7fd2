// How each export format is encoded with ffmpeg: the encoders it needs, its filter chain and codec
// options. Choices follow what editing software and browsers open without a conversion step:
// - YUV formats convert with the BT.709 matrix and say so in the file (colour tags), so Resolve, Premiere
//   and browsers show the photo's colours; swscale's default is BT.601, which would shift them.
// - H.264 and H.265 in 4:2:0 need even sides: an odd last column or row is cropped off (never scaled, so
//   every other pixel stays where it was). ProRes 422 (4:2:2) crops an odd last column the same way:
//   prores_ks garbles widths of 16k + 1 (27 dB against the photo, measured with ffmpeg 4.1 and 5.1).
//   ProRes 4444, VP9, WebP, GIF and PNG keep odd sizes as they are.
// - H.265 is tagged hvc1, the tag Apple's players (QuickTime, Photos, Final Cut) require to open HEVC in MP4.
// - ProRes uses prores_ks (profile 3 = 422 HQ, 4 = 4444) with Apple's vendor id, as Apple's encoder writes.
// - VP9 with alpha disables alt-ref frames: libvpx cannot encode them together with an alpha plane.
import type { ExportFormat } from '../../shared/index.js';
import type { Needs } from './ffmpeg-locate.js';

/** What the encoder is fed and what it must keep. */
export interface EncodeSetup {
  /** The frames' size as fed to ffmpeg. */
  width: number;
  height: number;
  fps: number;
  /** rgba: the clip; gray: the separate black-and-white matte clip. */
  input: 'rgba' | 'gray';
  /** Write an alpha channel (only for formats that have one). */
  alpha: boolean;
  /** 1-100. */
  quality: number;
  /** Plays stored in the file (GIF, WebP, APNG): 0 forever. */
  plays: number;
}

export interface FormatSpec {
  needs: Needs;
  /** Sides that must be even: both for 4:2:0 chroma, the width for 4:2:2. */
  even: 'none' | 'width' | 'both';
  /** Video filters after the input (crop, colour conversion, pixel format), comma-separated. */
  filters(setup: EncodeSetup): string[];
  /** Codec and muxer options, ending with `-f <muxer>`. */
  outputArgs(setup: EncodeSetup): string[];
  /** Muxer options to repeat an encoded cycle by stream copy (video files); null where frames repeat. */
  remux: string[] | null;
}

const BT709_TAGS = ['-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709'];
const TV_RANGE = ['-color_range', 'tv'];

/** RGB to Y'CbCr with the BT.709 matrix in limited range, then the encoder's pixel format. */
function toYuv(pixelFormat: string): string[] {
  return ['scale=out_color_matrix=bt709:out_range=tv', `format=${pixelFormat}`];
}

/** Quality 1-100 onto a CRF scale: 100 -> best, 1 -> worst. */
function crf(quality: number, best: number, worst: number): string {
  return String(Math.round(worst - ((worst - best) * (quality - 1)) / 99));
}

const h264: FormatSpec = {
  needs: { encoders: ['libx264'], filters: ['scale', 'crop'] },
  even: 'both',
  filters: () => toYuv('yuv420p'),
  // Still areas must stay as the photo (issue 10, point 6): outside the moving regions the engine's frames
  // are the photo exactly, and x264 codes them once, in the first frame, then copies them (skip blocks),
  // so their fidelity is that frame's. Quality 75 -> CRF 18, and qcomp=0.3 (default 0.6) strengthens
  // mbtree, which lowers the quantiser of blocks that later frames reuse: the still background gets the
  // bits, the moving region keeps its CRF. Measured on chelsea.png, 3 s at 24 fps, background against the
  // photo: CRF 21 40.5 dB, CRF 18 41.4, CRF 16 41.9, CRF 18 + qcomp 0.3 42.3 (4:2:0 itself caps it at
  // 43.4). scenecut=0: the clip is one photo, so no frame is a new scene; an I-frame the encoder put in
  // mid-clip on a large motion would re-code the background and make it jump. zones=0,0,b=4: the first
  // frame, which every still block of the clip copies, gets four times its share of bits (a ratio, so the
  // quality setting still rules; b=3 left grass.png 1.51 dB below lossless in a 1 s clip). 4:2:0 caps
  // RGB fidelity whatever the encoder does (rocket.jpg 32.0 dB lossless), so the still area is judged on
  // luma and against that ceiling (tests/integration/export/still-fidelity.ts; 3 s at 24 fps; still
  // luma, RGB below lossless 4:2:0, bytes; before -> after): rocket 53.9 -> 63.1 dB, 0.07 -> 0.01 dB,
  // +28%; coffee 51.7 -> 63.5, 0.48 -> 0.02, +23%; astronaut 51.4 -> 62.4, 0.66 -> 0.04, +19%; chelsea
  // 52.3 -> 63.3, 1.16 -> 0.07, +18%; grass 49.9 -> 63.5, 4.43 -> 0.32, +14%. (chroma-qp-offset did
  // nothing: grass's chroma was already 64 dB; its RGB loss was luma.) Preset "faster", not "medium":
  // x264 was a third of an export's CPU on a sky-sized clip (storm 1920x1280, 72 frames from PNG: 9.3 ->
  // 7.1 s CPU, 804 -> 756 KB, whole-clip luma 50.8 -> 51.2 dB); `npm run bench -- still` keeps every row
  // (luma 59.6-63.4 dB; RGB below lossless 0.01-1.05 dB, grass the most). "veryfast" (5.4 s) left grass
  // 2.28 dB below lossless. Of veryfast's savings, ref=1 and subme=2 alone (veryfast also turns trellis
  // quantisation off) cut x264's time by two fifths (issue 13.1: the storm's 72 frames, 4.7-5.0 -> 3.0 s
  // CPU, 1219 -> 1053 KB; whole-clip luma 49.0 -> 48.3 dB against the rendered frames). Still area, luma / RGB below lossless, before -> after: rocket 62.5 -> 62.7 /
  // 0.01 -> 0.01 dB, coffee 61.2 -> 61.7 / 0.05 -> 0.05, astronaut 60.1 -> 60.3 / 0.11 -> 0.10, chelsea
  // 63.3 -> 62.5 / 0.12 -> 0.11, grass 58.1 -> 58.3 / 0.96 -> 0.92.
  outputArgs: (s) => [
    ...['-c:v', 'libx264', '-preset', 'faster', '-crf', crf(s.quality, 12, 36), '-profile:v', 'high'],
    ...['-x264-params', 'qcomp=0.3:scenecut=0:zones=0,0,b=4:ref=1:subme=2'],
    ...BT709_TAGS,
    ...TV_RANGE,
    ...['-movflags', '+faststart', '-f', 'mp4'],
  ],
  remux: ['-movflags', '+faststart', '-f', 'mp4'],
};

const h265: FormatSpec = {
  needs: { encoders: ['libx265'], filters: ['scale', 'crop'] },
  even: 'both',
  filters: () => toYuv('yuv420p'),
  // x265's CRF runs about 4-5 above x264's for the same look: quality 75 -> 25.
  outputArgs: (s) => [
    ...['-c:v', 'libx265', '-preset', 'medium', '-crf', crf(s.quality, 16, 44)],
    ...['-tag:v', 'hvc1', '-x265-params', 'log-level=error'],
    ...BT709_TAGS,
    ...TV_RANGE,
    ...['-movflags', '+faststart', '-f', 'mp4'],
  ],
  remux: ['-tag:v', 'hvc1', '-movflags', '+faststart', '-f', 'mp4'],
};

function prores(profile: 3 | 4): FormatSpec {
  return {
    needs: { encoders: ['prores_ks'], filters: ['scale', 'crop'] },
    even: profile === 3 ? 'width' : 'none',
    filters: (s) => toYuv(profile === 3 ? 'yuv422p10le' : s.alpha ? 'yuva444p10le' : 'yuv444p10le'),
    outputArgs: (s) => [
      ...['-c:v', 'prores_ks', '-profile:v', String(profile), '-vendor', 'apl0'],
      ...(s.alpha ? ['-alpha_bits', '16'] : []),
      // prores_ks writes the frame's own colour fields (unset here), so the bitstream filter sets them.
      ...['-bsf:v', 'prores_metadata=color_primaries=bt709:color_trc=bt709:colorspace=bt709'],
      ...BT709_TAGS,
      ...TV_RANGE,
      // write_colr: the colour atom Final Cut and Premiere read (a flag ffmpeg 4.1's mov muxer needs).
      ...['-movflags', '+write_colr', '-f', 'mov'],
    ],
    remux: ['-movflags', '+write_colr', '-f', 'mov'],
  };
}

const vp9: FormatSpec = {
  needs: { encoders: ['libvpx-vp9'], filters: ['scale'] },
  even: 'none',
  filters: (s) => toYuv(s.alpha ? 'yuva420p' : 'yuv420p'),
  // Constant quality (-b:v 0); quality 75 -> CRF 26. cpu-used 4 and row-mt keep it quick on few cores.
  outputArgs: (s) => [
    ...['-c:v', 'libvpx-vp9', '-crf', crf(s.quality, 10, 55), '-b:v', '0'],
    ...['-deadline', 'good', '-cpu-used', '4', '-row-mt', '1'],
    ...(s.alpha ? ['-auto-alt-ref', '0'] : []),
    ...BT709_TAGS,
    ...TV_RANGE,
    ...['-f', 'webm'],
  ],
  remux: ['-f', 'webm'],
};

/** GIF plays in hundredths of a second; ffmpeg's gif muxer spreads rounding over frames to keep the rate. */
export function gifLoopValue(plays: number): string {
  // The Netscape extension counts repeats after the first play; -1 writes none (play once).
  return String(plays === 0 ? 0 : plays === 1 ? -1 : plays - 1);
}

/** GIF's encoding is two passes (see gif.ts); this spec gives the shared parts. */
const gif: FormatSpec = {
  needs: { encoders: ['gif', 'png'], filters: ['palettegen', 'paletteuse'] },
  even: 'none',
  filters: () => [],
  outputArgs: (s) => ['-loop', gifLoopValue(s.plays), '-f', 'gif'],
  remux: null,
};

const webp: FormatSpec = {
  needs: { encoders: ['libwebp_anim'], filters: [] },
  even: 'none',
  // libwebp takes BGRA and converts to its own YUV; it stores alpha only when a frame has transparency.
  filters: () => ['format=bgra'],
  outputArgs: (s) => [
    ...['-c:v', 'libwebp_anim', '-lossless', '0', '-q:v', String(s.quality), '-compression_level', '4'],
    ...['-loop', String(s.plays), '-f', 'webp'],
  ],
  remux: null,
};

function pngPixelFormat(s: EncodeSetup): string {
  return s.input === 'gray' ? 'gray' : s.alpha ? 'rgba' : 'rgb24';
}

const apng: FormatSpec = {
  needs: { encoders: ['apng'], filters: [] },
  even: 'none',
  filters: (s) => [`format=${pngPixelFormat(s)}`],
  outputArgs: (s) => ['-c:v', 'apng', '-plays', String(s.plays), '-f', 'apng'],
  remux: null,
};

const pngSequence: FormatSpec = {
  needs: { encoders: ['png'], filters: [] },
  even: 'none',
  filters: (s) => [`format=${pngPixelFormat(s)}`],
  outputArgs: () => ['-c:v', 'png', '-start_number', '0', '-f', 'image2'],
  remux: null,
};

export const FORMAT_SPECS: Readonly<Record<ExportFormat, FormatSpec>> = {
  'mp4-h264': h264,
  'mp4-h265': h265,
  'mov-prores-422hq': prores(3),
  'mov-prores-4444': prores(4),
  'webm-vp9': vp9,
  gif,
  webp,
  apng,
  'png-sequence': pngSequence,
};

/** The clip's size: the render's, less an odd last column or row where the codec needs them even. */
export function outputSize(
  format: ExportFormat,
  width: number,
  height: number,
): { width: number; height: number } {
  const { even } = FORMAT_SPECS[format];
  return {
    width: even === 'none' ? width : width - (width % 2),
    height: even === 'both' ? height - (height % 2) : height,
  };
}

/** The crop filter that drops the odd column/row, when there is one. */
export function cropFilter(fromWidth: number, fromHeight: number, to: { width: number; height: number }) {
  return fromWidth === to.width && fromHeight === to.height ? [] : [`crop=${to.width}:${to.height}:0:0`];
}

/** ffmpeg's arguments to read raw frames from stdin. */
export function rawInputArgs(setup: EncodeSetup): string[] {
  return [
    ...['-f', 'rawvideo', '-pix_fmt', setup.input === 'gray' ? 'gray' : 'rgba'],
    ...['-s', `${setup.width}x${setup.height}`, '-framerate', String(setup.fps), '-i', 'pipe:0'],
  ];
}
