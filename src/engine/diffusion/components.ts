// The pipeline's parts made from a loaded pack: one lazy ONNX session per graph (loaded when first needed),
// the prompt encoder with the pack's tokenizer, and the pack's scheduler. The engine keeps one set per
// pack and device; the reference comparison (tests/unit/reference) builds one to run the pipeline alone.
import { contractsOf } from '../models/contract.js';
import type { DdimConfig } from '../models/manifest.js';
import type { ProviderPreference } from '../models/providers.js';
import { LazySession } from '../models/sessions.js';
import type { LoadedPack } from '../models/validate.js';
import type { PipelineComponents } from './pipeline.js';
import { PromptEncoder } from './text-encoder.js';
import type { DenoisingScheduler, PromptTokenizer } from './types.js';

/** The pieces written elsewhere (tokenizer/, scheduler/), passed in so each can be swapped in tests. */
export interface DiffusionParts {
  createScheduler(config: DdimConfig): DenoisingScheduler;
  loadTokenizer(vocabPath: string, mergesPath: string): Promise<PromptTokenizer>;
}

export function pipelineComponents(
  pack: LoadedPack,
  provider: ProviderPreference,
  parts: DiffusionParts,
): PipelineComponents {
  const manifest = pack.manifest;
  const contracts = contractsOf(manifest);
  const { textEncoder, vae, unet, controlnet } = manifest.components;
  const session = (file: string) => new LazySession(pack.path(file), contracts.get(file)!, { provider });
  let tokenizer: Promise<PromptTokenizer> | null = null;
  const loadTokenizer = () => {
    tokenizer ??= parts.loadTokenizer(
      pack.path(textEncoder!.tokenizer.vocab),
      pack.path(textEncoder!.tokenizer.merges),
    );
    return tokenizer;
  };
  const schedulerConfig = manifest.scheduler!.config;
  return {
    manifest,
    prompts: new PromptEncoder(session(textEncoder!.model), loadTokenizer, textEncoder!),
    vaeEncoder: session(vae!.encoder),
    vaeDecoder: session(vae!.decoder),
    unet: session(unet!.model),
    controlnet: controlnet && unet!.controlResiduals ? session(controlnet.model) : null,
    createScheduler: () => parts.createScheduler(schedulerConfig),
  };
}
