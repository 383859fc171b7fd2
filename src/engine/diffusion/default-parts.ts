// The tokenizer and scheduler the engine uses unless a test passes others: CLIP's BPE (tokenizer/) and
// DDIM (scheduler/), both configured from the pack.
import type { DdimConfig } from '../models/manifest.js';
import type { DiffusionParts } from './components.js';
import { DDIMScheduler } from './scheduler/ddim.js';
import { ClipTokenizer } from './tokenizer/clip-tokenizer.js';

export const DEFAULT_PARTS: DiffusionParts = {
  createScheduler: (config: DdimConfig) => new DDIMScheduler(config),
  loadTokenizer: (vocab: string, merges: string) => ClipTokenizer.fromFiles(vocab, merges),
};
