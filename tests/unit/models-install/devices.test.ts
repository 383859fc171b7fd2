import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StirError } from '../../../src/shared/index.js';
import { EventBus } from '../../../src/shared/rpc/event-bus.js';
import { JobManager } from '../../../src/engine/jobs/job-manager.js';
import type { ProviderInfo } from '../../../src/engine/models/providers.js';
import { describeDevices, offerCpu } from '../../../src/engine/models/install/devices.js';
import { ModelsService } from '../../../src/engine/models/install/service.js';
import { tempDir } from './helpers/files.js';

const provider = (
  id: ProviderInfo['id'],
  available: boolean,
  reason = available ? 'present' : 'absent',
): ProviderInfo => ({
  id,
  name: {
    cpu: 'CPU',
    cuda: 'CUDA (NVIDIA)',
    tensorrt: 'TensorRT (NVIDIA)',
    dml: 'DirectML',
    coreml: 'CoreML',
    webgpu: 'WebGPU (experimental)',
  }[id],
  available,
  reason,
});

const LINUX_GPU = [
  provider('cpu', true),
  provider('cuda', true),
  provider('tensorrt', false, 'TensorRT (libnvinfer.so) was not found'),
  provider('webgpu', false),
];
const CPU_ONLY = [provider('cpu', true), provider('cuda', false, 'no NVIDIA driver was found')];

describe('devices', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const service = (providers: ProviderInfo[], dir = tempDir('devices')) => {
    dirs.push(dir);
    const bus = new EventBus();
    const settingsPath = join(dir, 'conf', 'models.json');
    return {
      bus,
      settingsPath,
      dir,
      models: new ModelsService(
        { dir: join(dir, 'models'), settingsPath, env: {} },
        bus,
        new JobManager(bus),
        {
          providers: () => providers,
        },
      ),
    };
  };

  it.runIf(process.platform === 'linux')(
    'lists usable devices first and picks the GPU by default on Linux',
    () => {
      const devices = describeDevices('auto', LINUX_GPU);
      expect(devices.devices.map((d) => [d.id, d.available])).toEqual([
        ['cuda', true],
        ['cpu', true],
        ['tensorrt', false],
        ['webgpu', false],
      ]);
      expect(devices).toMatchObject({ choice: 'auto', active: 'cuda', note: null });
    },
  );

  it('uses the CPU when nothing else is there', () => {
    expect(describeDevices('auto', CPU_ONLY)).toMatchObject({ active: 'cpu', note: null });
  });

  it('remembers the choice across engine restarts, in a settings file', async () => {
    const first = service(LINUX_GPU);
    expect((await first.models.setDevice({ device: 'cpu' })).active).toBe('cpu');
    expect(JSON.parse(readFileSync(first.settingsPath, 'utf8'))).toEqual({ device: 'cpu' });
    const again = service(LINUX_GPU, first.dir);
    expect(await again.models.listDevices({})).toMatchObject({ choice: 'cpu', active: 'cpu' });
    expect(await again.models.providerPreference()).toBe('cpu');
    expect(await again.models.setDevice({ device: 'auto' })).toMatchObject({ choice: 'auto' });
    expect(await again.models.providerPreference()).toBe('auto');
  });

  it('refuses a device this machine cannot use, saying why and offering the CPU', async () => {
    const { models, settingsPath } = service(CPU_ONLY);
    let caught: unknown;
    try {
      await models.setDevice({ device: 'cuda' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StirError);
    const error = caught as StirError;
    expect(error.code).toBe('PROVIDER_FAILED');
    expect(error.message).toBe('CUDA (NVIDIA) cannot be used on this machine: no NVIDIA driver was found.');
    expect(error.hint).toBe('Choose one of: auto, cpu.');
    expect(error.details).toMatchObject({ fallback: 'cpu', provider: 'cuda' });
    expect(() => readFileSync(settingsPath)).toThrow(); // nothing saved
  });

  it('falls back to the best device, and says so, when the chosen one has gone away', () => {
    const devices = describeDevices('cuda', CPU_ONLY);
    expect(devices).toMatchObject({ choice: 'cuda', active: 'cpu' });
    expect(devices.note).toBe(
      'CUDA (NVIDIA) was chosen but cannot be used here (no NVIDIA driver was found); CPU is used instead.',
    );
  });

  it('turns a GPU that runs out of memory or fails to start into an error that offers the CPU', () => {
    const oom = offerCpu(
      new StirError('OUT_OF_MEMORY', 'There was not enough memory to run unet.'),
      'cuda',
    ) as StirError;
    expect(oom.code).toBe('OUT_OF_MEMORY');
    expect(oom.message).toBe(
      'The GPU (CUDA (NVIDIA)) ran out of memory. There was not enough memory to run unet.',
    );
    expect(oom.hint).toMatch(/^Run it on the CPU instead/);
    expect(oom.details).toEqual({ provider: 'cuda', fallback: 'cpu' });

    const start = offerCpu(
      new StirError('PROVIDER_FAILED', 'cudaErrorNoDevice', { details: { file: 'unet/model.onnx' } }),
      'cuda',
    ) as StirError;
    expect(start.message).toBe('CUDA (NVIDIA) failed to start. cudaErrorNoDevice');
    expect(start.details).toEqual({ file: 'unet/model.onnx', provider: 'cuda', fallback: 'cpu' });

    // On the CPU there is nothing to fall back to; other errors are not about the device.
    const onCpu = new StirError('OUT_OF_MEMORY', 'x');
    expect(offerCpu(onCpu, 'cpu')).toBe(onCpu);
    const other = new StirError('PACK_INVALID', 'x');
    expect(offerCpu(other, 'cuda')).toBe(other);
  });

  it('reports the device a job ran on as an event', () => {
    const { models, bus } = service(CPU_ONLY);
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => event === 'jobDevice' && seen.push(payload));
    models.reportJobDevice('job-1', 'cpu', 'cuda', 'CUDA (NVIDIA) could not start (no device)');
    expect(seen).toEqual([
      {
        jobId: 'job-1',
        device: 'cpu',
        fellBackFrom: 'cuda',
        reason: 'CUDA (NVIDIA) could not start (no device)',
      },
    ]);
  });

  it('answers in words when the engine has no models folder', async () => {
    const bus = new EventBus();
    const models = new ModelsService(undefined, bus, new JobManager(bus));
    await expect(models.listPacks({})).rejects.toMatchObject({
      code: 'PACK_MISSING',
      message: 'No models folder is set up in this Stir.',
    });
  });
});
