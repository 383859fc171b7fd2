// The segmenter provider: SAM when a pack provides one, else the classic segmenter; forget() reaches both;
// the hover outline and the per-photo work ahead of a click are always the classic segmenter's.
import { describe, expect, it } from 'vitest';
import { createSegmenterProvider } from '../../../src/engine/segment/provider.js';
import { ClassicSegmenter } from '../../../src/engine/segment/classic/classic-segmenter.js';
import { loadPhoto } from '../../helpers/photos.js';
import type { Segmenter } from '../../../src/engine/segment/types.js';
import type { SegmenterId } from '../../../src/shared/index.js';

/** A segmenter that records what it was asked to forget and answers with a full mask. */
function recordingSegmenter(id: SegmenterId): Segmenter & { forgotten: string[] } {
  const forgotten: string[] = [];
  return {
    id,
    forgotten,
    async segment(photo) {
      return {
        mask: {
          width: photo.width,
          height: photo.height,
          data: new Uint8Array(photo.width * photo.height).fill(255),
        },
        score: 1,
      };
    },
    forget(photoKey) {
      forgotten.push(photoKey);
    },
    async dispose() {},
  };
}

describe('createSegmenterProvider', () => {
  it('gives the classic segmenter when no SAM is configured', async () => {
    const classic = recordingSegmenter('classic');
    const provider = createSegmenterProvider({ classic });
    expect((await provider.get()).id).toBe('classic');
  });

  it('gives the classic segmenter while no pack provides SAM, and SAM once one does', async () => {
    const classic = recordingSegmenter('classic');
    const sam = recordingSegmenter('sam');
    let installed = false;
    const provider = createSegmenterProvider({ classic, sam: async () => (installed ? sam : null) });
    expect(await provider.get()).toBe(classic);
    installed = true;
    expect(await provider.get()).toBe(sam);
  });

  it('forget() reaches the classic segmenter and every SAM segmenter handed out', async () => {
    const classic = recordingSegmenter('classic');
    const sam = recordingSegmenter('sam');
    const provider = createSegmenterProvider({ classic, sam: async () => sam });
    await provider.get();
    provider.forget('doc-1');
    expect(classic.forgotten).toEqual(['doc-1']);
    expect(sam.forgotten).toEqual(['doc-1']);
  });

  it('the hover outline and the per-photo work come from the classic segmenter, even when SAM clicks', async () => {
    const classic = new ClassicSegmenter();
    const sam = recordingSegmenter('sam');
    const provider = createSegmenterProvider({ classic, sam: async () => sam });
    expect((await provider.get()).id).toBe('sam');
    const { image } = await loadPhoto('chelsea.png');
    await provider.prepare?.(image, 'cat');
    const outline = await provider.hover!(image, 'cat', { x: 120, y: 200 });
    // The classic segmenter's working size (long side 512 at most; this photo is smaller: its own size).
    expect([outline.width, outline.height]).toEqual([451, 300]);
    expect(outline.data[200 * 451 + 120]).toBe(255);
    expect(outline.data.some((v) => v === 0)).toBe(true);
  });

  it('passes on an error of the SAM loader (a damaged pack) instead of hiding it', async () => {
    const classic = recordingSegmenter('classic');
    const provider = createSegmenterProvider({
      classic,
      sam: async () => {
        throw new Error('sam_decoder.onnx is missing');
      },
    });
    await expect(provider.get()).rejects.toThrow('sam_decoder.onnx is missing');
  });
});
