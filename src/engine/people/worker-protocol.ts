// Messages between the engine and the people worker.
import type { FoundPeople } from './types.js';

/** An RGB image (3 bytes a pixel), already scaled to the detection size. */
export interface PeopleRequest {
  id: number;
  rgb: Uint8Array;
  width: number;
  height: number;
}

export type PeopleReply =
  { id: number; ok: true; found: FoundPeople } | { id: number; ok: false; message: string };
