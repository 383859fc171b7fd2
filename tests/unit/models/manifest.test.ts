import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StirError } from '../../../src/shared/index.js';
import { componentPaths, parseManifest, unsafePackPathReason } from '../../../src/engine/models/manifest.js';
import { contractsOf } from '../../../src/engine/models/contract.js';
import { packDir } from './fixture-packs.js';

function fixtureManifest(id: 'fyc' | 'pia' | 'sam'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(packDir(id), 'stir-pack.json'), 'utf8')) as Record<string, unknown>;
}

function refusal(raw: unknown): StirError {
  try {
    parseManifest(raw, 'the test pack');
  } catch (caught) {
    if (caught instanceof StirError) return caught;
    throw caught;
  }
  throw new Error('the manifest was accepted');
}

describe('stir-pack.json', () => {
  it('parses the full tiny pack, filling defaults and keeping diffusers keys it does not use', () => {
    const manifest = parseManifest(fixtureManifest('fyc'), 'fyc');
    expect(manifest.capabilities).toEqual(['segmenter', 'diffusion', 'pose']);
    expect(manifest.components.unet).toMatchObject({
      frames: 16,
      conditioning: 'first-frame+region-mask',
      text: 'per-video',
      inputs: { motionStrength: true, fps: true },
    });
    expect(manifest.components.unet?.controlResiduals?.down).toHaveLength(12);
    expect(manifest.components.segmenter?.pixelMean).toEqual([123.675, 116.28, 103.53]);
    expect(manifest.scheduler?.config).toMatchObject({
      prediction_type: 'v_prediction',
      rescale_betas_zero_snr: true,
      _class_name: 'DDIMScheduler',
    });
    expect(manifest.components.vae?.scalingFactor).toBe(0.18215);
  });

  it('lists every component file and gives each ONNX file a contract', () => {
    const manifest = parseManifest(fixtureManifest('fyc'), 'fyc');
    const paths = componentPaths(manifest.components).map(([, p]) => p);
    expect(paths).toContain('unet/model.onnx');
    expect(paths).toContain('tokenizer/merges.txt');
    const contracts = contractsOf(manifest);
    expect([...contracts.keys()].sort()).toEqual(
      [
        'controlnet/model.onnx',
        'sam/decoder.onnx',
        'sam/encoder.onnx',
        'text_encoder/model.onnx',
        'unet/model.onnx',
        'vae_decoder/model.onnx',
        'vae_encoder/model.onnx',
      ].sort(),
    );
    const unet = contracts.get('unet/model.onnx')!;
    expect(unet.inputs.map((i) => i.name)).toEqual([
      'sample',
      'timestep',
      'encoder_hidden_states',
      'motion_strength',
      'fps',
      ...manifest.components.unet!.controlResiduals!.down,
      manifest.components.unet!.controlResiduals!.mid,
    ]);
  });

  it('refuses paths that would leave the pack folder, with PATH_ESCAPE', () => {
    for (const path of ['../x.onnx', '/etc/passwd', 'a\\b.onnx', 'C:/x.onnx', 'a//b.onnx', './a.onnx']) {
      expect(unsafePackPathReason(path), path).not.toBeNull();
    }
    expect(unsafePackPathReason('unet/model.onnx')).toBeNull();
    const raw = fixtureManifest('sam');
    const files = raw.files as { path: string }[];
    files.push({ ...files[0]!, path: 'sam/../../escape.onnx' });
    const error = refusal(raw);
    expect(error.code).toBe('PATH_ESCAPE');
    expect(error.message).toContain('sam/../../escape.onnx');
  });

  it('names every problem at once: capabilities without components, unlisted files, duplicates', () => {
    const raw = fixtureManifest('sam');
    raw.capabilities = ['segmenter', 'diffusion'];
    const components = raw.components as { segmenter: { decoder: string } };
    components.segmenter.decoder = 'sam/other.onnx';
    (raw.files as unknown[]).push((raw.files as unknown[])[0]);
    const error = refusal(raw);
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('no components.textEncoder');
    expect(error.message).toContain('no scheduler');
    expect(error.message).toContain('segmenter.decoder names "sam/other.onnx", which is not in files');
    expect(error.message).toContain('"sam/encoder.onnx" is listed twice');
  });

  it('recognises other segmenter contracts and says Stir cannot run them yet', () => {
    const raw = fixtureManifest('sam');
    (raw.components as { segmenter: { contract: string } }).segmenter.contract = 'sam2';
    expect(refusal(raw).message).toContain('"sam2" ONNX contract, which Stir cannot run yet');
  });

  it('refuses a bad sha256, an unknown layout and an unknown scheduler option, naming the field', () => {
    const raw = fixtureManifest('pia');
    (raw.files as { sha256: string }[])[0]!.sha256 = 'XYZ';
    (raw.components as { unet: { conditioning: string } }).unet.conditioning = 'last-frame';
    (raw.scheduler as { config: { timestep_spacing: string } }).config.timestep_spacing = 'sideways';
    const error = refusal(raw);
    expect(error.message).toMatch(/files\.0\.sha256: sha256 must be 64 lower-case hex digits/);
    expect(error.message).toMatch(/components\.unet\.conditioning/);
    expect(error.message).toMatch(/scheduler\.config\.timestep_spacing/);
  });
});
