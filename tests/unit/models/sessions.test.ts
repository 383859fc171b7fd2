import { describe, expect, it } from 'vitest';
import { StirError } from '../../../src/shared/index.js';
import { contractsOf } from '../../../src/engine/models/contract.js';
import { float16ToFloat32, float32ToFloat16, fromHalf, toHalf } from '../../../src/engine/models/float16.js';
import {
  listExecutionProviders,
  planProviders,
  type ProviderEnvironment,
} from '../../../src/engine/models/providers.js';
import { LazySession, isOutOfMemory, openSession } from '../../../src/engine/models/sessions.js';
import { loadPack } from '../../../src/engine/models/validate.js';
import { packDir } from './fixture-packs.js';

describe('float16', () => {
  it('encodes exactly representable values exactly and known bit patterns', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -14, 0x0400], // smallest normal
      [Infinity, 0x7c00],
      [70000, 0x7c00], // overflow
    ];
    for (const [value, bits] of cases) {
      expect(toHalf(value), String(value)).toBe(bits);
      if (Number.isFinite(value) && value <= 65504) expect(fromHalf(bits)).toBe(value);
    }
    expect(Number.isNaN(fromHalf(toHalf(NaN)))).toBe(true);
  });

  it('rounds to nearest, ties to even, and round-trips within half precision', () => {
    // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10): ties go to the even mantissa (1).
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10 ** ((i % 7) - 3));
    const back = float16ToFloat32(float32ToFloat16(values));
    values.forEach((v, i) =>
      expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25),
    );
  });
});

describe('execution providers', () => {
  const linux = (files: string[], backends = ['cpu', 'webgpu', 'cuda', 'tensorrt']): ProviderEnvironment => ({
    platform: 'linux',
    arch: 'x64',
    backends: backends.map((name) => ({ name, bundled: name === 'cpu' || name === 'webgpu' })),
    exists: (path) => files.includes(path),
    bindingDir: '/ort',
    libraryDirs: ['/usr/lib'],
  });

  it('offers CUDA only with its provider library and an NVIDIA driver, and says why not', () => {
    const bare = listExecutionProviders(linux([]));
    expect(bare.find((p) => p.id === 'cpu')).toMatchObject({ available: true });
    expect(bare.find((p) => p.id === 'cuda')?.reason).toContain(
      'libonnxruntime_providers_cuda.so is not installed',
    );
    const noDriver = listExecutionProviders(linux(['/ort/libonnxruntime_providers_cuda.so']));
    expect(noDriver.find((p) => p.id === 'cuda')?.reason).toContain('no NVIDIA driver');
    const ready = listExecutionProviders(
      linux(['/ort/libonnxruntime_providers_cuda.so', '/proc/driver/nvidia/version']),
    );
    expect(ready.find((p) => p.id === 'cuda')).toMatchObject({ available: true });
    expect(ready.find((p) => p.id === 'tensorrt')?.available).toBe(false);
    expect(ready.find((p) => p.id === 'dml')?.reason).toContain('has no DirectML provider');
  });

  it('refuses an unknown provider with the allowed list, and an unavailable one with PROVIDER_FAILED', () => {
    expect(() => planProviders('vulkan' as never)).toThrow(/choose one of: auto, cpu, cuda/);
    const providers = listExecutionProviders(linux([]));
    try {
      planProviders('cuda', providers);
      expect.unreachable();
    } catch (caught) {
      expect((caught as StirError).code).toBe('PROVIDER_FAILED');
      expect((caught as StirError).message).toContain('CUDA (NVIDIA) cannot be used on this machine');
    }
    expect(planProviders('cpu', providers)).toEqual({ candidates: ['cpu'], forced: true });
    expect(planProviders('auto', providers).candidates.at(-1)).toBe('cpu');
  });

  it('recognises out-of-memory messages from onnxruntime and CUDA', () => {
    expect(isOutOfMemory(new Error('std::bad_alloc'))).toBe(true);
    expect(isOutOfMemory(new Error('CUDA failure 2: out of memory ; GPU=0'))).toBe(true);
    expect(isOutOfMemory(new Error('Failed to allocate memory for requested buffer of size 123'))).toBe(true);
    expect(isOutOfMemory(new Error('Invalid input name: foo'))).toBe(false);
  });
});

describe('sessions', () => {
  it('casts feeds to the declared types: int32 and int64 token ids, float16 samples and float timesteps', async () => {
    for (const id of ['fyc', 'pia'] as const) {
      const pack = await loadPack(packDir(id));
      const contracts = contractsOf(pack.manifest);
      const text = await openSession(
        pack.path('text_encoder/model.onnx'),
        contracts.get('text_encoder/model.onnx')!,
        {
          provider: 'cpu',
        },
      );
      expect(text.input('input_ids').type).toBe(id === 'fyc' ? 'int32' : 'int64');
      const ids = Array.from({ length: 2 * 77 }, (_, i) => (i % 77 === 0 ? 49406 : 49407));
      const out = await text.run({ input_ids: { data: ids, dims: [2, 77] } });
      expect(out.last_hidden_state!.dims).toEqual([2, 77, 768]);
      expect(text.provider).toBe('cpu');
      await text.release();
    }
    const pia = await loadPack(packDir('pia'));
    const unet = await openSession(
      pia.path('unet/model.onnx'),
      contractsOf(pia.manifest).get('unet/model.onnx')!,
      {
        provider: 'cpu',
      },
    );
    expect(unet.input('sample').type).toBe('float16');
    expect(unet.input('timestep').type).toBe('float32');
    const frames = pia.manifest.components.unet!.frames;
    const sample = new Float32Array(9 * frames * 8 * 8).fill(0.25);
    const out = await unet.run({
      sample: { data: sample, dims: [1, 9, frames, 8, 8] },
      timestep: { data: [500], dims: [1] },
      encoder_hidden_states: { data: new Float32Array(frames * 77 * 768), dims: [frames, 77, 768] },
    });
    // float16 in, float16 out, float32 to the caller.
    expect(out.out_sample!.data).toBeInstanceOf(Float32Array);
    expect(out.out_sample!.dims).toEqual([1, 4, frames, 8, 8]);
    expect(out.out_sample!.data.every(Number.isFinite)).toBe(true);
    expect(unet.runs).toBe(1);
    await unet.release();
  });

  it('reports every missing input at once and refuses inputs the graph does not have', async () => {
    const pack = await loadPack(packDir('fyc-plain'));
    const unet = await openSession(
      pack.path('unet/model.onnx'),
      contractsOf(pack.manifest).get('unet/model.onnx')!,
      {
        provider: 'cpu',
      },
    );
    await expect(
      unet.run({ sample: { data: [0], dims: [1] }, motion_strength: { data: [1], dims: [1] } }),
    ).rejects.toThrow(/missing timestep, encoder_hidden_states; not in the graph motion_strength/);
    await unet.release();
  });

  it('names a forced provider that cannot start (PROVIDER_FAILED); auto falls back to the CPU and says why', async () => {
    const pack = await loadPack(packDir('sam'));
    const contract = contractsOf(pack.manifest).get('sam/encoder.onnx')!;
    const path = pack.path('sam/encoder.onnx');
    // WebGPU is in this build but needs a GPU adapter: where there is none it cannot start.
    const forced = await openSession(path, contract, { provider: 'webgpu' }).catch((e: unknown) => e);
    if (forced instanceof StirError) {
      expect(forced.code).toBe('PROVIDER_FAILED');
      expect(forced.message).toContain('WebGPU (experimental) could not start for segmenter.encoder');
      const fallback = await openSession(path, contract, {
        plan: { candidates: ['webgpu', 'cpu'], forced: false },
      });
      expect(fallback.provider).toBe('cpu');
      expect(fallback.fallbackReason).toContain('WebGPU (experimental) could not start');
      await fallback.release();
    } else {
      expect((forced as { provider: string }).provider).toBe('webgpu');
      await (forced as { release(): Promise<void> }).release();
    }
  });

  it('loads a lazy session when first asked, once, and releases it', async () => {
    const pack = await loadPack(packDir('sam'));
    const lazy = new LazySession(
      pack.path('sam/encoder.onnx'),
      contractsOf(pack.manifest).get('sam/encoder.onnx')!,
      {
        provider: 'cpu',
      },
    );
    expect(lazy.loaded).toBe(false);
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect(a).toBe(b);
    await lazy.release();
    expect(lazy.loaded).toBe(false);
    await expect(
      a.run({ image: { data: new Float32Array(3 * 1024 * 1024), dims: [1, 3, 1024, 1024] } }),
    ).rejects.toThrow(/was released/);
    const c = await lazy.get();
    expect(c).not.toBe(a);
    await lazy.release();
  });
});
