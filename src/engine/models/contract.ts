// The tensor contract of each ONNX file in a pack (MODEL-PACKS.md): which inputs and outputs a session must
// declare, their element types and their dimensions. A session's metadata is checked against it when the
// session is created, and a mismatch is reported naming the file, the tensor and what was expected.
import type { PackManifest } from './manifest.js';

export const FLOAT_TYPES = ['float32', 'float16'] as const;
export const INDEX_TYPES = ['int32', 'int64'] as const;
/** What a scalar condition or a timestep may be declared as; the value is cast to it (diffusers' ONNX pipeline). */
export const NUMBER_TYPES = ['float32', 'float16', 'float64', 'int32', 'int64'] as const;

/** A dimension: a fixed size, or 'any' (a symbolic dimension, or any number). */
export type DimSpec = number | 'any';

export interface TensorSpec {
  name: string;
  /** The graph's only input (or output), whatever it is called: exports name these differently. */
  anyName?: boolean;
  types: readonly string[];
  /** One or more accepted shapes (timesteps may be [B] or a scalar). */
  shapes: readonly (readonly DimSpec[])[];
  optional?: boolean;
  /** What this tensor is, for messages. */
  about: string;
}

export interface SessionContract {
  /** The component and role ("unet", "vae.decoder"), for messages. */
  component: string;
  /** The ONNX file, relative to the pack. */
  file: string;
  inputs: readonly TensorSpec[];
  outputs: readonly TensorSpec[];
}

/** What a session declares about one tensor (onnxruntime's ValueMetadata, reduced). */
export interface DeclaredTensor {
  name: string;
  /** Element type ('float32', 'int64'...); null for a non-tensor value. */
  type: string | null;
  /** Numbers for fixed dimensions, strings for symbolic ones. */
  shape: readonly (number | string)[];
}

export interface DeclaredSignature {
  inputs: readonly DeclaredTensor[];
  outputs: readonly DeclaredTensor[];
}

const t = (
  name: string,
  types: readonly string[],
  shapes: readonly (readonly DimSpec[])[],
  about: string,
  extra: Partial<TensorSpec> = {},
): TensorSpec => ({ name, types, shapes, about, ...extra });

/** The contract of every ONNX file a manifest names, keyed by file path. */
export function contractsOf(manifest: PackManifest): Map<string, SessionContract> {
  const contracts = new Map<string, SessionContract>();
  const add = (contract: SessionContract) => contracts.set(contract.file, contract);
  const { segmenter, textEncoder, vae, unet, controlnet } = manifest.components;

  if (segmenter) {
    const side = segmenter.imageSize;
    add({
      component: 'segmenter.encoder',
      file: segmenter.encoder,
      inputs: [
        t('image', ['float32'], [[1, 3, side, side]], 'the normalised, padded photo (NCHW)', {
          anyName: true,
        }),
      ],
      outputs: [t('image_embeddings', ['float32'], [[1, 256, 64, 64]], "SAM's image embedding")],
    });
    add({
      component: 'segmenter.decoder',
      file: segmenter.decoder,
      inputs: [
        t('image_embeddings', ['float32'], [[1, 256, 64, 64]], "the encoder's image embedding"),
        t('point_coords', ['float32'], [[1, 'any', 2]], 'click points in the 1024 frame'),
        t('point_labels', ['float32'], [[1, 'any']], 'point labels (1, 0, 2, 3, -1)'),
        t('mask_input', ['float32'], [[1, 1, 256, 256]], 'the previous low-res mask'),
        t('has_mask_input', ['float32'], [[1]], '1 when mask_input is used'),
        t('orig_im_size', ['float32'], [[2]], "the photo's height and width"),
      ],
      outputs: [
        t('masks', ['float32'], [[1, 'any', 'any', 'any']], 'mask logits at the photo size'),
        t('iou_predictions', ['float32'], [[1, 'any']], 'predicted IoU per mask'),
        t('low_res_masks', ['float32'], [[1, 'any', 256, 256]], 'low-res mask logits'),
      ],
    });
  }

  if (textEncoder) {
    const { maxLength, hiddenSize } = textEncoder;
    add({
      component: 'textEncoder',
      file: textEncoder.model,
      inputs: [t('input_ids', INDEX_TYPES, [['any', maxLength]], 'CLIP token ids')],
      outputs: [t('last_hidden_state', FLOAT_TYPES, [['any', maxLength, hiddenSize]], 'the text embedding')],
    });
  }

  if (vae) {
    const latentOut = vae.encoderOutput === 'mean' ? 4 : 8;
    add({
      component: 'vae.encoder',
      file: vae.encoder,
      inputs: [t('sample', FLOAT_TYPES, [[1, 3, 'any', 'any']], 'an image in [-1, 1] (NCHW)')],
      outputs: [
        t('latent_sample', FLOAT_TYPES, [[1, latentOut, 'any', 'any']], 'the latent', { anyName: true }),
      ],
    });
    add({
      component: 'vae.decoder',
      file: vae.decoder,
      inputs: [t('latent_sample', FLOAT_TYPES, [[1, 4, 'any', 'any']], 'a latent divided by scalingFactor')],
      outputs: [t('sample', FLOAT_TYPES, [[1, 3, 'any', 'any']], 'an image in [-1, 1]', { anyName: true })],
    });
  }

  if (unet) {
    const hidden = textEncoder?.hiddenSize ?? 768;
    const maxLength = textEncoder?.maxLength ?? 77;
    const scalar = (name: string, about: string) => t(name, NUMBER_TYPES, [['any'], []], about);
    const inputs: TensorSpec[] = [
      t(
        'sample',
        FLOAT_TYPES,
        [['any', 9, unet.frames, 'any', 'any']],
        'noisy latent + mask + image condition',
      ),
      scalar('timestep', 'the diffusion timestep'),
      t(
        'encoder_hidden_states',
        FLOAT_TYPES,
        [['any', maxLength, hidden]],
        unet.text === 'per-video' ? 'text embeddings, one per video' : 'text embeddings, one per frame',
      ),
    ];
    if (unet.inputs.motionStrength)
      inputs.push(scalar('motion_strength', 'motion strength (optical-flow magnitude)'));
    if (unet.inputs.fps) inputs.push(scalar('fps', 'frames per second'));
    for (const name of residualNames(manifest)) {
      inputs.push(t(name, FLOAT_TYPES, [['any', 'any', 'any', 'any']], 'a ControlNet residual'));
    }
    add({
      component: 'unet',
      file: unet.model,
      inputs,
      outputs: [
        t('out_sample', FLOAT_TYPES, [['any', 4, unet.frames, 'any', 'any']], 'the prediction', {
          anyName: true,
        }),
      ],
    });
  }

  if (controlnet && unet) {
    const hidden = textEncoder?.hiddenSize ?? 768;
    const maxLength = textEncoder?.maxLength ?? 77;
    add({
      component: 'controlnet',
      file: controlnet.model,
      inputs: [
        t('sample', FLOAT_TYPES, [['any', 4, 'any', 'any']], 'noisy latent, one per frame'),
        t('timestep', NUMBER_TYPES, [['any'], []], 'the diffusion timestep'),
        t(
          'encoder_hidden_states',
          FLOAT_TYPES,
          [['any', maxLength, hidden]],
          'text embeddings, one per frame',
        ),
        t('controlnet_cond', FLOAT_TYPES, [['any', 3, 'any', 'any']], 'skeleton drawings, 0-1'),
        t('conditioning_scale', NUMBER_TYPES, [[], [1]], 'the residuals\u2019 scale'),
      ],
      outputs: residualNames(manifest).map((name) =>
        t(name, FLOAT_TYPES, [['any', 'any', 'any', 'any']], 'a residual for the UNet'),
      ),
    });
  }
  return contracts;
}

function residualNames(manifest: PackManifest): string[] {
  const residuals = manifest.components.unet?.controlResiduals;
  return residuals ? [...residuals.down, residuals.mid] : [];
}

function shapeText(shape: readonly (number | string)[]): string {
  return `[${shape.map((d) => (typeof d === 'number' ? String(d) : d || '?')).join(', ')}]`;
}

function specShapeText(shapes: readonly (readonly DimSpec[])[]): string {
  return shapes.map((s) => `[${s.map((d) => (d === 'any' ? '*' : String(d))).join(', ')}]`).join(' or ');
}

function fitsShape(declared: readonly (number | string)[], spec: readonly DimSpec[]): boolean {
  if (declared.length !== spec.length) return false;
  return spec.every((want, i) => want === 'any' || typeof declared[i] !== 'number' || declared[i] === want);
}

/**
 * Every way a session's declared signature differs from its contract, in words naming the file and the
 * tensor; empty when it fits. `actual` maps an anyName spec to the name the graph uses.
 */
export function checkSignature(
  contract: SessionContract,
  declared: DeclaredSignature,
): { problems: string[]; names: Map<string, string> } {
  const problems: string[] = [];
  const names = new Map<string, string>();
  const file = contract.file;

  const side = (kind: 'input' | 'output', specs: readonly TensorSpec[], have: readonly DeclaredTensor[]) => {
    const byName = new Map(have.map((d) => [d.name, d]));
    const claimed = new Set<string>();
    for (const spec of specs) {
      let found = byName.get(spec.name);
      if (!found && spec.anyName && have.length === 1) found = have[0];
      if (!found) {
        if (!spec.optional) {
          const list = have.map((d) => d.name).join(', ') || 'none';
          problems.push(
            `${file}: the ${kind} "${spec.name}" (${spec.about}) is missing; the graph has ${list}`,
          );
        }
        continue;
      }
      claimed.add(found.name);
      names.set(spec.name, found.name);
      if (found.type === null || !spec.types.includes(found.type)) {
        problems.push(
          `${file}: ${kind} "${found.name}" is ${found.type ?? 'not a tensor'}, expected ${spec.types.join(' or ')}`,
        );
      }
      if (!spec.shapes.some((shape) => fitsShape(found.shape, shape))) {
        problems.push(
          `${file}: ${kind} "${found.name}" has shape ${shapeText(found.shape)}, expected ${specShapeText(spec.shapes)}`,
        );
      }
    }
    if (kind === 'input') {
      // An input Stir does not feed would make every run fail: report it now, by name.
      for (const d of have) {
        if (!claimed.has(d.name)) {
          problems.push(
            `${file}: the graph takes an input "${d.name}" that the pack's contract does not name (expected ${specs.map((s) => s.name).join(', ')})`,
          );
        }
      }
    }
  };
  side('input', contract.inputs, declared.inputs);
  side('output', contract.outputs, declared.outputs);
  return { problems, names };
}
