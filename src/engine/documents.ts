// Open documents: a decoded photo, its regions (bottom to top) and its animation settings. The engine
// keeps them so masks cross the transport once, not on every render.
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SETTINGS,
  REGION_COLORS,
  StirError,
  type AnimationSettings,
  type Region,
} from '../shared/index.js';
import type { RgbaImage } from './image/types.js';

export interface EngineDocument {
  readonly id: string;
  readonly name: string;
  readonly format: string;
  readonly photo: RgbaImage;
  /** The oriented photo encoded for display. */
  readonly display: { bytes: Uint8Array; mime: 'image/png' | 'image/jpeg' | 'image/webp' };
  regions: Region[];
  settings: AnimationSettings;
  /** Count of regions ever made here, for default names ("Region 3") and colours. */
  regionsMade: number;
}

export class DocumentStore {
  readonly #docs = new Map<string, EngineDocument>();

  add(init: Omit<EngineDocument, 'id' | 'regions' | 'settings' | 'regionsMade'>): EngineDocument {
    const doc: EngineDocument = {
      ...init,
      id: randomUUID(),
      regions: [],
      settings: { ...DEFAULT_SETTINGS },
      regionsMade: 0,
    };
    this.#docs.set(doc.id, doc);
    return doc;
  }

  get(docId: string): EngineDocument {
    const doc = this.#docs.get(docId);
    if (!doc) {
      throw new StirError('NOT_FOUND', 'That photo is no longer open.', {
        hint: 'Open the photo again.',
        details: { docId },
      });
    }
    return doc;
  }

  delete(docId: string): boolean {
    return this.#docs.delete(docId);
  }

  region(doc: EngineDocument, regionId: string): Region {
    const region = doc.regions.find((r) => r.id === regionId);
    if (!region) throw new StirError('NOT_FOUND', 'That region no longer exists.', { details: { regionId } });
    return region;
  }

  nextRegionLook(doc: EngineDocument): { name: string; color: string } {
    doc.regionsMade += 1;
    const color = REGION_COLORS[(doc.regionsMade - 1) % REGION_COLORS.length] ?? REGION_COLORS[0];
    return { name: `Region ${doc.regionsMade}`, color };
  }

  get size(): number {
    return this.#docs.size;
  }
}
