import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../src/shared/index.js';

describe('wire frames', () => {
  it('round-trips nested bytes as bytes, in order, with the rest as JSON', () => {
    const message = {
      t: 'call',
      id: 7,
      params: {
        mask: { width: 2, height: 1, data: new Uint8Array([0, 255]) },
        photo: new Uint8Array(70_000).fill(9),
        list: [new Uint8Array([1, 2, 3])],
        text: 'é ✓',
      },
    };
    const frame = encodeFrame(message);
    // Bytes travel raw: the frame is barely larger than the payload, not base64 (4/3) or JSON numbers.
    expect(frame.length).toBeLessThan(70_000 + 400);
    const back = decodeFrame(frame) as typeof message;
    expect(back.params.mask.data).toBeInstanceOf(Uint8Array);
    expect([...back.params.mask.data]).toEqual([0, 255]);
    expect(back.params.photo.length).toBe(70_000);
    expect(back.params.photo[69_999]).toBe(9);
    expect([...(back.params.list[0] ?? [])]).toEqual([1, 2, 3]);
    expect(back.params.text).toBe('é ✓');
  });

  it('carries Node Buffers (which JSON would turn into number arrays) as bytes too', () => {
    const back = decodeFrame(encodeFrame({ bytes: Buffer.from([5, 6, 7]) })) as { bytes: Uint8Array };
    expect(back.bytes).toBeInstanceOf(Uint8Array);
    expect([...back.bytes]).toEqual([5, 6, 7]);
  });

  it('refuses truncated or malformed frames', () => {
    const frame = encodeFrame({ a: new Uint8Array(10) });
    expect(() => decodeFrame(frame.subarray(0, frame.length - 3))).toThrow(/truncated/);
    expect(() => decodeFrame(new Uint8Array([0, 0, 1, 0]))).toThrow(/overruns/);
    expect(() => decodeFrame(new Uint8Array([0]))).toThrow(/too short/);
  });
});
