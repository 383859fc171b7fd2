import { describe, expect, it } from 'vitest';
import { methods, events, methodNames, StirError, type MethodName } from '../../../src/shared/index.js';
import { parseEvent, parseParams } from '../../../src/shared/rpc/validate.js';

const mask = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h) });

describe('contract validation', () => {
  it('accepts good requests and fills defaults', () => {
    const region = parseParams('createRegion', {
      docId: 'd',
      region: { mask: mask(4, 3), motion: { prompt: 'sway' } },
    });
    expect(region.region.motion).toEqual({
      prompt: 'sway',
      strength: 4,
      direction: null,
      seed: 0,
      start: 0,
      end: null,
      tempo: null,
      paths: [],
      anchors: [],
      freeze: [],
    });
    expect(region.region.visible).toBe(true);
    expect(parseParams('startRender', { docId: 'd' }).previewLongSide).toBe(512);
    expect(parseParams('segment', { docId: 'd', clicks: [{ x: 1, y: 2, positive: true }] }).box).toBeNull();
    expect(parseParams('segment', { docId: 'd', clicks: [{ x: 1, y: 2, positive: true }] }).hypothesis).toBe(
      0,
    );
    expect(
      parseParams('openPhoto', { source: { kind: 'bytes', name: 'a.png', bytes: new Uint8Array([1]) } })
        .source.kind,
    ).toBe('bytes');
    expect(parseParams('doctor', undefined)).toEqual({});
  });

  it('a patch changes only what it names: no defaults are filled in', () => {
    const update = parseParams('updateRegion', {
      docId: 'd',
      regionId: 'r',
      patch: { motion: { strength: 8 } },
    });
    expect(update.patch.motion).toEqual({ strength: 8 });
    const settings = parseParams('updateSettings', { docId: 'd', patch: { fps: 30 } });
    expect(settings.patch).toEqual({ fps: 30 });
  });

  const bad: Array<[MethodName, unknown, RegExp]> = [
    [
      'createRegion',
      {
        docId: 'd',
        region: { mask: { width: 4, height: 3, data: new Uint8Array(5) }, motion: { prompt: 'sway' } },
      },
      /mask data length/,
    ],
    [
      'createRegion',
      { docId: 'd', region: { mask: mask(2, 2), motion: { prompt: '   ' } } },
      /motion word is needed/,
    ],
    [
      'createRegion',
      { docId: 'd', region: { mask: mask(2, 2), motion: { prompt: 'sway', strength: 99 } } },
      /region\.motion\.strength/,
    ],
    [
      'createRegion',
      { docId: 'd', region: { mask: { width: 2, height: 2, data: [0, 0, 0, 0] }, motion: { prompt: 'x' } } },
      /expected bytes/,
    ],
    ['updateSettings', { docId: 'd', patch: { fps: 200 } }, /patch\.fps/],
    ['updateSettings', { docId: 'd', patch: { loop: 'forever' } }, /patch\.loop/],
    ['segment', { docId: 'd', clicks: [{ x: Number.NaN, y: 1, positive: true }] }, /clicks\.0\.x/],
    ['segment', { clicks: [] }, /docId/],
    ['segment', { docId: 'd', clicks: [], hypothesis: -1 }, /hypothesis/],
    ['segment', { docId: 'd', clicks: [], hypothesis: 1.5 }, /hypothesis/],
    ['openPhoto', { source: { kind: 'url', url: 'http://x' } }, /source/],
    ['startRender', { docId: 'd', previewLongSide: 10 }, /previewLongSide/],
    ['cancelJob', {}, /jobId/],
  ];
  it.each(bad)('rejects a bad %s request with a message naming the field', (method, params, message) => {
    let thrown: unknown;
    try {
      parseParams(method, params);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StirError);
    expect((thrown as StirError).code).toBe('BAD_REQUEST');
    expect((thrown as StirError).message).toMatch(message);
  });

  it('validates events', () => {
    expect(() =>
      parseEvent('jobProgress', { jobId: 'j', kind: 'render', stage: 's', fraction: 0.5, etaSeconds: null }),
    ).not.toThrow();
    expect(() =>
      parseEvent('jobProgress', { jobId: 'j', kind: 'render', stage: 's', fraction: 2, etaSeconds: null }),
    ).toThrow(/fraction/);
    expect(() =>
      parseEvent('jobFailed', { jobId: 'j', kind: 'export', error: { code: 'NOPE', message: 'x' } }),
    ).toThrow(/error\.code/);
  });

  it('every method has params, result and a line of documentation; every event a schema', () => {
    for (const name of methodNames) {
      const spec = methods[name];
      expect(spec.doc.length, name).toBeGreaterThan(10);
      expect(typeof spec.params.safeParse, name).toBe('function');
      expect(typeof spec.result.safeParse, name).toBe('function');
    }
    for (const core of ['jobDone', 'jobFailed', 'jobProgress', 'renderFrame'])
      expect(Object.keys(events)).toContain(core);
    for (const schema of Object.values(events)) expect(typeof schema.safeParse).toBe('function');
  });
});
