// The diffusion engine (the paper's method over an installed model pack), for create-engine.ts and the CLI.
import { DEFAULT_PARTS } from './default-parts.js';
import type { DiffusionParts } from './components.js';
import { DiffusionEngine, type DiffusionEngineOptions } from './engine.js';

export { DiffusionEngine, type DiffusionEngineOptions } from './engine.js';
export { pipelineComponents, type DiffusionParts } from './components.js';
export type { StepInfo } from './pipeline.js';

/**
 * The diffusion engine for the pack in `packDir`. Nothing loads until the first render; an unknown or
 * unavailable provider is refused here, in words.
 */
export function createDiffusionEngine(
  options: DiffusionEngineOptions,
  parts: DiffusionParts = DEFAULT_PARTS,
): DiffusionEngine {
  return new DiffusionEngine(options, parts);
}
