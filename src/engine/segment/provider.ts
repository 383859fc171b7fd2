// Which segmenter answers a click: SAM when the chosen pack (installed, or a folder given with `--pack`)
// or else an installed pack provides one (issue 4, point 3; issue 11, point 3), else the classic segmenter
// (issue 2, point 4). Both sit behind the same Segmenter interface.
import type { SegmenterProvider } from '../ports.js';
import type { PeopleDetector } from '../people/detector.js';
import { hitPerson, peopleOutline, selectPerson } from '../people/select.js';
import { fillHoles } from './classic/mask-ops.js';
import { keepDetectedOut } from './keep-out.js';
import type { Segmenter } from './types.js';
import { StirError, type Mask } from '../../shared/index.js';

export interface SegmenterProviderOptions {
  classic: Segmenter;
  /**
   * The SAM segmenter of the chosen pack (`packId`: an installed id or a folder's path) when it has one,
   * else of an installed pack, or null when no pack provides one. Asked on every get(), so a pack
   * installed while Stir runs is used from the next click; it caches what it loads itself.
   */
  sam?: (packId: string | null) => Promise<Segmenter | null>;
  /**
   * Faces and bodies found on the photo (issue 12, point 2): a first click on a detected face gives the
   * face, on a detected person the person (the segmenter below prompted with the person's keypoints).
   */
  people?: PeopleDetector;
}

/** The segmenter, answering clicks on people first. Detection failing only leaves people unrecognised. */
function withPeople(base: Segmenter, people: PeopleDetector): Segmenter {
  return {
    id: base.id,
    async segment(photo, request, signal) {
      const found = await people.find(photo).catch(() => null);
      const picked = found && (await selectPerson(found, photo, request, base, signal));
      if (picked) return { mask: picked.mask, score: picked.score, segmenter: 'people', people: picked.hit };
      // The other objects found on the same pass may seed the answer (a click on the kite).
      const objects = request.objects ?? found?.objects;
      const answer = await base.segment(photo, objects ? { ...request, objects } : request, signal);
      // The people and things found beside the clicks stay out of what they took (the sea behind a surfer).
      return found ? keepDetectedOut(answer, found, photo, request, base, signal) : answer;
    },
    forget: (photoKey) => base.forget(photoKey),
    dispose: () => base.dispose(),
  };
}

export function createSegmenterProvider(options: SegmenterProviderOptions): SegmenterProvider {
  // Every SAM segmenter handed out, so forget() reaches its per-photo cache (the image embedding).
  const handedOut = new Set<Segmenter>([options.classic]);
  return {
    async get(packId?: string | null): Promise<Segmenter> {
      const sam = options.sam ? await options.sam(packId ?? null) : null;
      const segmenter = sam ?? options.classic;
      handedOut.add(segmenter);
      return options.people ? withPeople(segmenter, options.people) : segmenter;
    },
    forget(photoKey: string): void {
      for (const segmenter of handedOut) segmenter.forget(photoKey);
    },
    // The classic segmenter's per-photo work serves both the hover outline and, without SAM, the clicks.
    async prepare(photo, photoKey) {
      await options.classic.prepare?.(photo, photoKey);
    },
    async hover(photo, photoKey, point) {
      const classic = options.classic;
      if (!classic.hover) {
        throw new StirError('INTERNAL', 'The segmenter cannot outline what the pointer is over.');
      }
      const plain = await classic.hover(photo, photoKey, point);
      // Over a face or a person once detection has finished (never waited for: the hover must be quick),
      // the outline a click there would select: the face, or the whole person.
      const found = options.people?.peek(photo) ?? null;
      const hit = found ? hitPerson(found, point.x, point.y) : null;
      if (!hit || !classic.hoverFloods) return withoutHoles(plain);
      const floodsAt = classic.hoverFloods.bind(classic, photo, photoKey);
      return withoutHoles(
        await peopleOutline(hit, point, photo, { width: plain.width, height: plain.height }, floodsAt),
      );
    },
  };
}

/**
 * The outline with its holes filled, as a click fills them: superpixels the flood left out inside an
 * object (the shadows in a suit's folds, a badge) otherwise draw a scatter of small outlines over it.
 */
function withoutHoles(mask: Mask): Mask {
  return { ...mask, data: fillHoles(mask.data, mask.width, mask.height, []) };
}
