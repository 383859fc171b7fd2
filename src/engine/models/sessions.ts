// The one ONNX boundary (STYLE.md, habit 4; transformers.js's models/session.js): every onnxruntime session
// is created here, from a file path (large models keep their weights as external data beside the graph),
// checked against the pack's contract, and run through `OnnxSession.run`, which casts each feed to the
// dtype the session declares, reports every missing input at once, turns float16 outputs into float32,
// logs each input's type and dims when a run fails, and names out-of-memory as such.
import { basename } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { StirError, throwIfCancelled } from '../../shared/index.js';
import {
  checkSignature,
  type DeclaredSignature,
  type DeclaredTensor,
  type SessionContract,
} from './contract.js';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';
import {
  PROVIDER_NAMES,
  planProviders,
  type ProviderId,
  type ProviderPlan,
  type ProviderPreference,
} from './providers.js';

export type { ProviderId, ProviderPreference } from './providers.js';

// When its first session opens, onnxruntime writes a telemetry device id under ~/.cache/Microsoft and a
// debug log and a ".ses" file into the temporary folder, unless told not to (read then, not at import).
// Stir writes nothing outside its own folders; the fuzz run counts such files.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

/** Data for one input, in float32 (or integers) whatever the graph declares; cast on the way in. */
export interface Feed {
  data: Float32Array | Uint16Array | Int32Array | BigInt64Array | Float64Array | readonly number[];
  dims: readonly number[];
}

/** One output, as float32. */
export interface Fetched {
  data: Float32Array;
  dims: number[];
}

export interface OpenOptions {
  provider?: ProviderPreference;
  /** Providers to try, when the caller planned them already (planProviders); overrides `provider`. */
  plan?: ProviderPlan;
  /** Intra-op threads for the CPU provider; onnxruntime's default when left out. */
  threads?: number;
}

/** Substrings of onnxruntime and CUDA messages that mean memory ran out. */
const OUT_OF_MEMORY = [
  'bad_alloc',
  'failed to allocate',
  'out of memory',
  'cudaerrormemoryallocation',
  'cuda_error_out_of_memory',
  'array buffer allocation failed',
  'e_outofmemory',
];

export function isOutOfMemory(caught: unknown): boolean {
  const text = (caught instanceof Error ? caught.message : String(caught)).toLowerCase();
  return OUT_OF_MEMORY.some((needle) => text.includes(needle));
}

function outOfMemory(what: string, caught: unknown): StirError {
  return new StirError('OUT_OF_MEMORY', `There was not enough memory to ${what}.`, {
    hint: 'Close other programs, choose a shorter or smaller render, or use the CPU provider (system memory is usually larger than GPU memory).',
    cause: caught,
  });
}

function declared(metadata: readonly InferenceSession.ValueMetadata[]): DeclaredTensor[] {
  return metadata.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, shape: m.shape } : { name: m.name, type: null, shape: [] },
  );
}

/** A created, checked session. Inputs and outputs are addressed by their contract names. */
export class OnnxSession {
  /** The provider the session runs on (onnxruntime may still place single nodes on the CPU). */
  readonly provider: ProviderId;
  /** Why a better provider was not used, when 'auto' fell back; null otherwise. */
  readonly fallbackReason: string | null;
  /** Milliseconds spent inside onnxruntime's run, summed (benchmarks subtract it from a step's time). */
  runMillis = 0;
  runs = 0;
  readonly #session: InferenceSession;
  readonly #inputs: Map<string, DeclaredTensor>;
  readonly #outputs: Map<string, DeclaredTensor>;
  #released = false;

  constructor(
    readonly file: string,
    readonly contract: SessionContract,
    session: InferenceSession,
    names: Map<string, string>,
    provider: ProviderId,
    fallbackReason: string | null,
  ) {
    this.#session = session;
    this.provider = provider;
    this.fallbackReason = fallbackReason;
    const signature = signatureOf(session);
    const byContract = (list: readonly DeclaredTensor[]) => {
      const map = new Map<string, DeclaredTensor>();
      for (const [contractName, actual] of names) {
        const found = list.find((d) => d.name === actual);
        if (found) map.set(contractName, found);
      }
      return map;
    };
    this.#inputs = byContract(signature.inputs);
    this.#outputs = byContract(signature.outputs);
  }

  /** Does the graph take this (optional) input? */
  hasInput(name: string): boolean {
    return this.#inputs.has(name);
  }

  /** The declared input, by contract name. */
  input(name: string): DeclaredTensor {
    const found = this.#inputs.get(name);
    if (!found) throw new StirError('INTERNAL', `${basename(this.file)} has no input "${name}".`);
    return found;
  }

  output(name: string): DeclaredTensor {
    const found = this.#outputs.get(name);
    if (!found) throw new StirError('INTERNAL', `${basename(this.file)} has no output "${name}".`);
    return found;
  }

  /**
   * Runs the session. Feeds are keyed by contract name and cast to each input's declared type; outputs
   * come back as float32, keyed by contract name. Checks the signal before running (a run itself cannot
   * be interrupted, so callers check again between runs).
   */
  async run(feeds: Record<string, Feed>, signal?: AbortSignal): Promise<Record<string, Fetched>> {
    if (this.#released) throw new StirError('INTERNAL', `${basename(this.file)} was released.`);
    throwIfCancelled(signal);
    const missing = [...this.#inputs.keys()].filter((name) => !(name in feeds));
    const unknown = Object.keys(feeds).filter((name) => !this.#inputs.has(name));
    if (missing.length > 0 || unknown.length > 0) {
      throw new StirError(
        'INTERNAL',
        `${this.contract.component} (${this.contract.file}) was run with the wrong inputs: ` +
          [
            missing.length > 0 ? `missing ${missing.join(', ')}` : '',
            unknown.length > 0 ? `not in the graph ${unknown.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; '),
      );
    }
    const tensors: Record<string, Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) {
      const meta = this.input(name);
      tensors[meta.name] = toTensor(feed, meta.type ?? 'float32');
    }
    let results: InferenceSession.ReturnType;
    const started = performance.now();
    try {
      results = await this.#session.run(tensors);
    } catch (caught) {
      // What went in, for the person debugging a pack (transformers.js logs the same).
      console.error(
        `stir: ${this.contract.component} (${this.contract.file}) failed to run; inputs:`,
        Object.entries(tensors)
          .map(([name, t]) => `${name}: ${t.type} [${t.dims.join(', ')}]`)
          .join('; '),
      );
      if (isOutOfMemory(caught)) throw outOfMemory(`run ${this.contract.component}`, caught);
      throw new StirError(
        'INTERNAL',
        `${this.contract.component} (${this.contract.file}) failed on ${PROVIDER_NAMES[this.provider]}: ${
          caught instanceof Error ? caught.message : String(caught)
        }`,
        { cause: caught },
      );
    } finally {
      this.runMillis += performance.now() - started;
      this.runs++;
      for (const tensor of Object.values(tensors)) tensor.dispose();
    }
    const out: Record<string, Fetched> = {};
    for (const [contractName, meta] of this.#outputs) {
      const value = results[meta.name];
      if (value instanceof Tensor) out[contractName] = fromTensor(value);
    }
    for (const value of Object.values(results)) if (value instanceof Tensor) value.dispose();
    return out;
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }
}

function signatureOf(session: InferenceSession): DeclaredSignature {
  return { inputs: declared(session.inputMetadata), outputs: declared(session.outputMetadata) };
}

function toTensor(feed: Feed, type: string): Tensor {
  const dims = [...feed.dims];
  const { data } = feed;
  switch (type) {
    case 'float32':
      return new Tensor(
        'float32',
        data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>, Number),
        dims,
      );
    case 'float16': {
      if (data instanceof Uint16Array) return new Tensor('float16', data, dims);
      const f32 = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>, Number);
      return new Tensor('float16', float32ToFloat16(f32), dims);
    }
    case 'float64':
      return new Tensor('float64', Float64Array.from(data as ArrayLike<number>, Number), dims);
    case 'int32':
      return new Tensor(
        'int32',
        data instanceof Int32Array
          ? data
          : Int32Array.from(data as ArrayLike<number>, (v) => Math.round(Number(v))),
        dims,
      );
    case 'int64':
      return new Tensor(
        'int64',
        data instanceof BigInt64Array
          ? data
          : BigInt64Array.from(data as ArrayLike<number>, (v) => BigInt(Math.round(Number(v)))),
        dims,
      );
    default:
      throw new StirError('PACK_INVALID', `An input of type ${type} is not supported.`);
  }
}

function fromTensor(tensor: Tensor): Fetched {
  const dims = [...tensor.dims];
  switch (tensor.type) {
    case 'float32':
      return { data: tensor.data as Float32Array, dims };
    case 'float16':
      return { data: float16ToFloat32(tensor.data as Uint16Array), dims };
    default:
      return { data: Float32Array.from(tensor.data as ArrayLike<number>, Number), dims };
  }
}

function sessionOptions(provider: ProviderId, threads: number | undefined): InferenceSession.SessionOptions {
  const options: InferenceSession.SessionOptions = {
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    graphOptimizationLevel: 'all',
    // Errors only: shape-merge warnings of exported graphs would fill the person's log.
    logSeverityLevel: 3,
  };
  if (threads !== undefined) return { ...options, intraOpNumThreads: threads };
  return options;
}

/** Looks like a damaged or foreign file rather than a provider that would not start. */
function isModelLoadError(caught: unknown): boolean {
  const text = (caught instanceof Error ? caught.message : String(caught)).toLowerCase();
  return [
    'protobuf',
    'parsing',
    'invalid_graph',
    'invalid_protobuf',
    'no_such_file',
    'model_path',
    'load model',
    'external data',
    'opset',
  ].some((needle) => text.includes(needle));
}

/**
 * Creates a session from `path` on the preferred provider and checks it against `contract`
 * (PACK_INVALID naming the file and tensors). 'auto' falls back to the CPU when a better provider fails
 * to start, and says so in `fallbackReason`; a forced provider that fails is PROVIDER_FAILED.
 */
export async function openSession(
  path: string,
  contract: SessionContract,
  options: OpenOptions = {},
): Promise<OnnxSession> {
  const plan = options.plan ?? planProviders(options.provider ?? 'auto');
  let fallbackReason: string | null = null;
  for (const provider of plan.candidates) {
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(path, sessionOptions(provider, options.threads));
    } catch (caught) {
      if (isOutOfMemory(caught)) throw outOfMemory(`load ${contract.component} (${contract.file})`, caught);
      const message = caught instanceof Error ? caught.message : String(caught);
      if (provider === 'cpu' || isModelLoadError(caught)) {
        throw new StirError(
          'PACK_INVALID',
          `${contract.file} (${contract.component}) cannot be loaded: it is damaged, incomplete or not an ONNX model (${message}).`,
          {
            hint: 'Install the pack again.',
            details: { file: contract.file, problems: [`${contract.file} cannot be loaded: ${message}`] },
            cause: caught,
          },
        );
      }
      if (plan.forced) {
        throw new StirError(
          'PROVIDER_FAILED',
          `${PROVIDER_NAMES[provider]} could not start for ${contract.component}: ${message}`,
          {
            hint: 'Check the GPU driver and libraries (stir doctor), or choose "auto" or "cpu".',
            details: { provider, file: contract.file },
            cause: caught,
          },
        );
      }
      fallbackReason = `${PROVIDER_NAMES[provider]} could not start (${message})`;
      continue;
    }
    const { problems, names } = checkSignature(contract, signatureOf(session));
    if (problems.length > 0) {
      await session.release();
      throw new StirError(
        'PACK_INVALID',
        `${contract.file} (${contract.component}) does not fit the pack's contract: ${problems.join('; ')}.`,
        {
          hint: 'The pack was exported differently than its manifest says; get a pack made for Stir.',
          details: { file: contract.file, problems },
        },
      );
    }
    return new OnnxSession(path, contract, session, names, provider, fallbackReason);
  }
  throw new StirError('PROVIDER_FAILED', `No execution provider could start ${contract.component}.`, {
    details: { file: contract.file },
  });
}

/**
 * A session created when first needed and released when asked, so memory can be reclaimed between
 * renders (the VAE encoder runs once per photo, the UNet many times).
 */
export class LazySession {
  #session: Promise<OnnxSession> | null = null;
  #current: OnnxSession | null = null;

  constructor(
    readonly path: string,
    readonly contract: SessionContract,
    private readonly options: OpenOptions = {},
  ) {}

  get loaded(): boolean {
    return this.#session !== null;
  }

  /** The session once it has loaded (for its run counters), else null. */
  get current(): OnnxSession | null {
    return this.#current;
  }

  get(): Promise<OnnxSession> {
    if (this.#session === null) {
      const opening = openSession(this.path, this.contract, this.options);
      // A failed open is not cached: the next call tries again (after the person fixed the pack).
      opening.then(
        (session) => {
          if (this.#session === opening) this.#current = session;
        },
        () => {
          if (this.#session === opening) this.#session = null;
        },
      );
      this.#session = opening;
    }
    return this.#session;
  }

  async release(): Promise<void> {
    const pending = this.#session;
    this.#session = null;
    this.#current = null;
    if (pending) await (await pending.catch(() => null))?.release();
  }
}
