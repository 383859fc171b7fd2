// The manifest's JSON Schema, for pack authors and their editors (`stir models schema`, docs/model-packs.md).
// It is generated from the same zod schema the engine parses with, so it cannot drift from what Stir
// accepts; the cross-field rules (a capability needs its components, every named file is listed) are
// checks zod runs in code and JSON Schema cannot say: the loader still names them when a pack breaks one.
import { z } from 'zod';
import { MANIFEST_FORMAT_VERSION, MANIFEST_NAME, PackManifestSchema } from './manifest.js';

export const MANIFEST_SCHEMA_ID = `https://stir.invalid/schemas/stir-pack-${MANIFEST_FORMAT_VERSION}.json`;

/** The JSON Schema (draft 2020-12) of what a pack author writes: optional fields show their defaults. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PackManifestSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema: schema.$schema,
    $id: MANIFEST_SCHEMA_ID,
    title: `${MANIFEST_NAME} (Stir model pack manifest, format version ${MANIFEST_FORMAT_VERSION})`,
    description:
      'A model pack is a folder with this manifest and ONNX files. Every path is relative to the folder ' +
      'and stays inside it; every file a component names is listed in files with its size and sha256. ' +
      'Not expressible here and checked by Stir: each capability needs its components (segmenter: ' +
      'components.segmenter; diffusion: textEncoder, vae, unet and scheduler; pose: diffusion, controlnet ' +
      'and unet.controlResiduals), and each ONNX graph must declare the inputs and outputs of ' +
      'docs/model-packs.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}
