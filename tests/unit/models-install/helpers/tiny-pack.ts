// A tiny segmenter pack (SAM's ONNX contract, MODEL-PACKS.md) written with onnx-proto: graphs that load
// in onnxruntime and declare exactly the contract's inputs and outputs (their outputs are constants, as
// only the installer's checks run them here). Options break it in the ways the installer must catch.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;

function valueInfo(name: string, shape: readonly Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** A graph whose inputs are declared and whose outputs are zeros of a fixed shape (ConstantOfShape). */
function constantGraph(
  name: string,
  inputs: ReadonlyArray<[string, readonly Dim[]]>,
  outputs: ReadonlyArray<[string, readonly Dim[], readonly number[]]>,
  paddingBytes: number,
): Uint8Array {
  const initializer: onnxProto.onnx.ITensorProto[] = [];
  const node: onnxProto.onnx.INodeProto[] = [];
  outputs.forEach(([output, , actual], i) => {
    const shapeName = `shape_${i}`;
    const shape = BigInt64Array.from(actual, (v) => BigInt(v));
    initializer.push({
      name: shapeName,
      dims: [actual.length],
      dataType: INT64,
      rawData: new Uint8Array(shape.buffer),
    });
    node.push({ opType: 'ConstantOfShape', name: `const_${i}`, input: [shapeName], output: [output] });
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'stir-tests',
    opsetImport: [{ domain: '', version: 13 }],
    // Bulk, so a download of the pack takes more than one network read (metadata, which the runtime
    // keeps quiet about, unlike unused weights).
    docString: filler(paddingBytes),
    graph: {
      name,
      node,
      initializer,
      input: inputs.map(([n, s]) => valueInfo(n, s)),
      output: outputs.map(([n, s]) => valueInfo(n, s)),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function filler(bytes: number): string {
  let text = '';
  let state = 0x2545f491;
  while (text.length < bytes) {
    state = (state * 1103515245 + 12345) >>> 0;
    text += (state >>> 8).toString(36);
  }
  return text.slice(0, bytes);
}

export interface TinyPackOptions {
  id?: string;
  version?: string;
  /** Name the decoder's point input "points" instead of the contract's "point_coords". */
  wrongDecoderInput?: boolean;
  /** Bytes of filler in the encoder. */
  paddingBytes?: number;
}

export interface TinyPackFile {
  path: string;
  size: number;
  sha256: string;
}

export interface TinyPack {
  dir: string;
  id: string;
  manifest: Record<string, unknown> & { files: TinyPackFile[] };
}

export const ENCODER = 'segmenter/encoder.onnx';
export const DECODER = 'segmenter/decoder.onnx';

export function writeTinyPack(dir: string, options: TinyPackOptions = {}): TinyPack {
  const id = options.id ?? 'tiny-sam';
  const encoder = constantGraph(
    'tiny-encoder',
    [['image', [1, 3, 1024, 1024]]],
    [['image_embeddings', [1, 256, 64, 64], [1, 256, 64, 64]]],
    options.paddingBytes ?? 0,
  );
  const decoder = constantGraph(
    'tiny-decoder',
    [
      ['image_embeddings', [1, 256, 64, 64]],
      [options.wrongDecoderInput ? 'points' : 'point_coords', [1, 'num_points', 2]],
      ['point_labels', [1, 'num_points']],
      ['mask_input', [1, 1, 256, 256]],
      ['has_mask_input', [1]],
      ['orig_im_size', [2]],
    ],
    [
      ['masks', [1, 'num_masks', 'height', 'width'], [1, 1, 4, 4]],
      ['iou_predictions', [1, 'num_masks'], [1, 1]],
      ['low_res_masks', [1, 'num_masks', 256, 256], [1, 1, 256, 256]],
    ],
    0,
  );
  const files: TinyPackFile[] = [];
  for (const [path, bytes] of [
    [ENCODER, encoder],
    [DECODER, decoder],
  ] as const) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
    files.push({ path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  const manifest = {
    format: 'stir-pack',
    formatVersion: 1,
    id,
    name: `Tiny SAM (${id})`,
    version: options.version ?? '1.0.0',
    description: 'A tiny segmenter pack for the installer tests.',
    license: 'MIT',
    capabilities: ['segmenter'],
    files,
    components: { segmenter: { contract: 'sam', encoder: ENCODER, decoder: DECODER } },
  };
  writeManifest(dir, manifest);
  return { dir, id, manifest };
}

export function writeManifest(dir: string, manifest: object): void {
  writeFileSync(join(dir, 'stir-pack.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

export function readManifest(dir: string): TinyPack['manifest'] {
  return JSON.parse(readFileSync(join(dir, 'stir-pack.json'), 'utf8')) as TinyPack['manifest'];
}
