import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  EXPORT_FORMAT_INFO,
  EXPORT_PRESET_IDS,
  EXPORT_PRESETS,
  StartExportParamsSchema,
  methods,
} from '../../../src/shared/index.js';
import { parseParams } from '../../../src/shared/rpc/validate.js';

describe('export presets in the contract', () => {
  it('are named for their use, exactly as issue 6 lists them', () => {
    expect(EXPORT_PRESETS.map((p) => p.name)).toEqual([
      'Edit in Resolve / Premiere (ProRes 422 HQ)',
      'Transparent overlay (ProRes 4444)',
      'Web (MP4)',
      'Social loop (MP4, 3 loops)',
      'GIF',
      'Image sequence (PNG)',
    ]);
    expect(EXPORT_PRESETS.map((p) => p.id)).toEqual([...EXPORT_PRESET_IDS]);
  });

  it('promise what their names say', () => {
    const byId = Object.fromEntries(EXPORT_PRESETS.map((p) => [p.id, p]));
    expect(byId['resolve-prores-422hq']?.format).toBe('mov-prores-422hq');
    expect(byId['overlay-prores-4444']).toMatchObject({ format: 'mov-prores-4444', matte: 'alpha' });
    expect(byId['web-mp4']).toMatchObject({ format: 'mp4-h264', loops: 1 });
    expect(byId['social-loop-mp4']).toMatchObject({ format: 'mp4-h264', loops: 3 });
    expect(byId['gif']).toMatchObject({ format: 'gif', loops: 0 });
    expect(byId['png-sequence']?.format).toBe('png-sequence');
  });

  it('lists every format with an extension, and only folders have none', () => {
    for (const format of EXPORT_FORMATS) {
      const info = EXPORT_FORMAT_INFO[format];
      expect(info.extension === '').toBe(info.folder);
    }
  });

  it('has a listExportPresets method', () => {
    expect(methods.listExportPresets.result.parse(EXPORT_PRESETS)).toHaveLength(6);
  });
});

describe('startExport params', () => {
  it('keep the original fields working, with the Web (MP4) defaults', () => {
    expect(StartExportParamsSchema.parse({ docId: 'd' })).toEqual({
      docId: 'd',
      preset: null,
      format: 'mp4-h264',
      path: null,
      longSide: null,
      overwrite: true,
      quality: 75,
      fps: null,
      loops: 1,
      pingPong: false,
      matte: 'none',
    });
    expect(
      StartExportParamsSchema.parse({
        docId: 'd',
        format: 'mp4-h264',
        path: '/x/a.mp4',
        longSide: 720,
        overwrite: false,
      }),
    ).toMatchObject({ format: 'mp4-h264', path: '/x/a.mp4', longSide: 720, overwrite: false });
  });

  it('fill from the preset, and explicit fields win', () => {
    expect(StartExportParamsSchema.parse({ docId: 'd', preset: 'gif' })).toMatchObject({
      format: 'gif',
      fps: 15,
      longSide: 480,
      loops: 0,
    });
    expect(
      StartExportParamsSchema.parse({
        docId: 'd',
        preset: 'gif',
        fps: 24,
        longSide: null,
        loops: 2,
        pingPong: true,
      }),
    ).toMatchObject({ format: 'gif', fps: 24, longSide: null, loops: 2, pingPong: true });
    expect(StartExportParamsSchema.parse({ docId: 'd', preset: 'overlay-prores-4444' })).toMatchObject({
      format: 'mov-prores-4444',
      matte: 'alpha',
    });
  });

  it('carry a preset over to another format only where that format can do it', () => {
    // The overlay's alpha matte cannot ride in H.264; the social loop's repeats can go into H.265.
    expect(
      StartExportParamsSchema.parse({ docId: 'd', preset: 'overlay-prores-4444', format: 'mp4-h264' }).matte,
    ).toBe('none');
    expect(
      StartExportParamsSchema.parse({ docId: 'd', preset: 'social-loop-mp4', format: 'mp4-h265' }).loops,
    ).toBe(3);
    expect(StartExportParamsSchema.parse({ docId: 'd', preset: 'gif', format: 'mp4-h264' }).loops).toBe(1);
    expect(StartExportParamsSchema.parse({ docId: 'd', format: 'webp' }).loops).toBe(0);
  });

  it('refuse an alpha matte in a format without alpha, and endless loops in a video', () => {
    expect(() => parseParams('startExport', { docId: 'd', format: 'mp4-h264', matte: 'alpha' })).toThrow(
      /matte: MP4 \(H\.264\) has no alpha channel/,
    );
    expect(() => parseParams('startExport', { docId: 'd', format: 'mov-prores-422hq', loops: 0 })).toThrow(
      /loops: .*cannot loop forever/,
    );
    expect(() => parseParams('startExport', { docId: 'd', preset: 'no-such' })).toThrow(/preset/);
    expect(() => parseParams('startExport', { docId: 'd', fps: 61 })).toThrow(/fps/);
    expect(() => parseParams('startExport', { docId: 'd', quality: 0 })).toThrow(/quality/);
  });
});
