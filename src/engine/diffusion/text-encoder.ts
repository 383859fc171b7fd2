// Prompts -> CLIP text embeddings [77, 768] (MODEL-PACKS.md, "Text encoder"), cached per prompt: a person
// who re-renders with one region changed does not pay for the others' prompts again.
import { throwIfCancelled } from '../../shared/index.js';
import type { TextEncoderComponent } from '../models/manifest.js';
import type { LazySession } from '../models/sessions.js';
import type { PromptTokenizer } from './types.js';

export class PromptEncoder {
  readonly #cache = new Map<string, Float32Array>();

  constructor(
    readonly session: LazySession,
    private readonly tokenizer: () => Promise<PromptTokenizer>,
    private readonly config: TextEncoderComponent,
  ) {}

  /** The size of one embedding: maxLength x hiddenSize. */
  get embeddingSize(): number {
    return this.config.maxLength * this.config.hiddenSize;
  }

  /** One embedding per prompt, in order; prompts not seen before are encoded in one batch. */
  async encode(prompts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const missing = [...new Set(prompts.filter((p) => !this.#cache.has(p)))];
    if (missing.length > 0) {
      const tokenizer = await this.tokenizer();
      throwIfCancelled(signal);
      const length = this.config.maxLength;
      const ids = new Int32Array(missing.length * length);
      missing.forEach((prompt, i) => ids.set(tokenizer.encodeForModel(prompt, length), i * length));
      const session = await this.session.get();
      const out = await session.run({ input_ids: { data: ids, dims: [missing.length, length] } }, signal);
      const hidden = out.last_hidden_state!.data;
      const size = this.embeddingSize;
      missing.forEach((prompt, i) => this.#cache.set(prompt, hidden.slice(i * size, (i + 1) * size)));
    }
    return prompts.map((p) => this.#cache.get(p)!);
  }

  clear(): void {
    this.#cache.clear();
  }
}
