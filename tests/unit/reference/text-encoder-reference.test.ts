// Stir's text encoding (its CLIP tokenizer, the ids it feeds, the batch it runs, the states it keeps per
// prompt) against openai/CLIP's own text transformer (clip/model.py: encode_text, its ln_final output, the
// last hidden state SD 1.5 conditions on) on a tiny random CLIP with SD 1.5's 49408-token vocabulary,
// exported by tools/export-pack (scripts/reference/reference_fixtures.py): within 1e-3 (issue 11, point 2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARTS } from '../../../src/engine/diffusion/default-parts.js';
import { pipelineComponents } from '../../../src/engine/diffusion/index.js';
import type { PromptEncoder } from '../../../src/engine/diffusion/text-encoder.js';
import { loadPack } from '../../../src/engine/models/validate.js';
import {
  maxAbsDiff,
  referenceFloats,
  referenceJson,
  unpackReferencePack,
} from '../../helpers/reference-packs.js';

interface TextEncoderFixture {
  pack: string;
  maxLength: number;
  hiddenSize: number;
  cases: { text: string; hiddenStates: string; spread: number }[];
}

const fixture = referenceJson<TextEncoderFixture>('text-encoder.json');
let work: string;
let prompts: PromptEncoder;
let encoded: Float32Array[];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'stir-reference-text-'));
  const pack = await loadPack(unpackReferencePack(fixture.pack, work), { verifyHashes: true });
  prompts = pipelineComponents(pack, 'cpu', DEFAULT_PARTS).prompts;
  // All prompts in one call: Stir encodes them as one batch.
  encoded = await prompts.encode(fixture.cases.map((c) => c.text));
});
afterAll(async () => {
  await prompts.session.release();
  rmSync(work, { recursive: true, force: true });
});

describe("the CLIP text encoder against openai/CLIP's", () => {
  it.each(fixture.cases.map((c, i) => ({ ...c, i })))(
    'gives the reference last hidden state for "$text" within 1e-3',
    ({ i, hiddenStates, text }) => {
      const reference = referenceFloats(hiddenStates);
      expect(reference.length).toBe(fixture.maxLength * fixture.hiddenSize);
      const { max } = maxAbsDiff(encoded[i]!, reference);
      console.info(`[reference] text encoder, "${text.slice(0, 30)}": max |diff| ${max.toExponential(2)}`);
      expect(max).toBeLessThanOrEqual(1e-3);
    },
  );

  it('gives different states for different prompts (the fixture can tell them apart)', () => {
    const { max } = maxAbsDiff(
      referenceFloats(fixture.cases[0]!.hiddenStates),
      referenceFloats(fixture.cases[1]!.hiddenStates),
    );
    expect(max).toBeGreaterThan(0.1);
  });

  it('encodes a prompt alone as it does in a batch', async () => {
    prompts.clear();
    const [alone] = await prompts.encode([fixture.cases[0]!.text]);
    expect(maxAbsDiff(alone!, encoded[0]!).max).toBeLessThanOrEqual(1e-5);
  });
});
