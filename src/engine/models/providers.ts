// Execution providers of onnxruntime-node (MODEL-PACKS.md, "Execution providers"): which exist on this
// machine, and which to try for a session. CPU everywhere; DirectML on Windows and CoreML on macOS come
// bundled; CUDA and TensorRT on Linux x64 need libraries that onnxruntime-node's install script downloads
// (skipped on machines without internet) and an NVIDIA driver. WebGPU is bundled but experimental, so it
// is used only when asked for. transformers.js keeps the same kind of table (backends/onnx.js).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { listSupportedBackends } from 'onnxruntime-node';
import { StirError } from '../../shared/index.js';

export const PROVIDER_IDS = ['cpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'webgpu'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
/** 'auto' picks the best available provider for the platform; an id forces that one. */
export type ProviderPreference = 'auto' | ProviderId;

export const PROVIDER_NAMES: Record<ProviderId, string> = {
  cpu: 'CPU',
  cuda: 'CUDA (NVIDIA)',
  tensorrt: 'TensorRT (NVIDIA)',
  dml: 'DirectML',
  coreml: 'CoreML',
  webgpu: 'WebGPU (experimental)',
};

export interface ProviderInfo {
  id: ProviderId;
  name: string;
  available: boolean;
  /** Why it is or is not available, in words. */
  reason: string;
}

/** What the detection looks at; tests pass their own. */
export interface ProviderEnvironment {
  platform: NodeJS.Platform;
  arch: string;
  /** The backends this onnxruntime-node build knows, and whether each is bundled. */
  backends: readonly { name: string; bundled: boolean }[];
  /** Does this file exist? */
  exists(path: string): boolean;
  /** The folder holding onnxruntime-node's native binding and provider libraries; null if not found. */
  bindingDir: string | null;
  /** Folders searched for system libraries (libnvinfer). */
  libraryDirs: readonly string[];
}

export function currentProviderEnvironment(): ProviderEnvironment {
  return {
    platform: process.platform,
    arch: process.arch,
    backends: safeBackends(),
    exists: existsSync,
    bindingDir: findBindingDir(),
    libraryDirs: [
      ...(process.env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean),
      '/usr/lib/x86_64-linux-gnu',
      '/usr/local/cuda/lib64',
      '/usr/lib64',
      '/usr/lib',
    ],
  };
}

function safeBackends(): { name: string; bundled: boolean }[] {
  try {
    return listSupportedBackends();
  } catch {
    return [{ name: 'cpu', bundled: true }];
  }
}

function findBindingDir(): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
    const bin = join(dirname(entry), '..', 'bin');
    for (const napi of readdirSync(bin).filter((d) => d.startsWith('napi-v'))) {
      const dir = join(bin, napi, process.platform, process.arch);
      if (existsSync(dir)) return dir;
    }
  } catch {
    // not installed the usual way; providers needing extra libraries count as absent
  }
  return null;
}

const LIB = { linux: (name: string) => `lib${name}.so` } as const;

/** Every provider Stir knows, whether it can run here and why (for `stir doctor` and the device list). */
export function listExecutionProviders(
  env: ProviderEnvironment = currentProviderEnvironment(),
): ProviderInfo[] {
  const known = new Map(env.backends.map((b) => [b.name, b]));
  const info = (id: ProviderId, available: boolean, reason: string): ProviderInfo => ({
    id,
    name: PROVIDER_NAMES[id],
    available,
    reason,
  });
  const notInBuild = (id: ProviderId) =>
    info(
      id,
      false,
      `this onnxruntime-node build for ${env.platform}-${env.arch} has no ${PROVIDER_NAMES[id]} provider`,
    );

  const nvidia = (id: 'cuda' | 'tensorrt'): ProviderInfo => {
    if (!known.has(id)) return notInBuild(id);
    if (env.platform !== 'linux') return info(id, false, `${PROVIDER_NAMES[id]} is offered on Linux only`);
    const lib = LIB.linux(`onnxruntime_providers_${id}`);
    if (env.bindingDir === null || !env.exists(join(env.bindingDir, lib))) {
      return info(
        id,
        false,
        `${lib} is not installed: onnxruntime-node's install script downloads it (run "node node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install=cuda12" with internet access)`,
      );
    }
    if (!env.exists('/proc/driver/nvidia/version') && !env.exists('/dev/nvidia0')) {
      return info(id, false, 'no NVIDIA driver was found (/proc/driver/nvidia/version is absent)');
    }
    if (id === 'tensorrt' && !env.libraryDirs.some((dir) => hasLibrary(env, dir, 'libnvinfer.so'))) {
      return info(id, false, 'TensorRT (libnvinfer.so) was not found on the library path');
    }
    return info(id, true, `${lib} and an NVIDIA driver are present`);
  };

  return PROVIDER_IDS.map((id) => {
    switch (id) {
      case 'cpu':
        return info('cpu', true, 'always available');
      case 'cuda':
      case 'tensorrt':
        return nvidia(id);
      case 'dml':
        if (!known.has('dml')) return notInBuild('dml');
        return info('dml', true, 'bundled with onnxruntime-node on Windows');
      case 'coreml':
        if (!known.has('coreml')) return notInBuild('coreml');
        return info('coreml', true, 'bundled with onnxruntime-node on macOS');
      case 'webgpu':
        if (!known.has('webgpu')) return notInBuild('webgpu');
        return info('webgpu', true, 'bundled, experimental: used only when chosen');
    }
  });
}

function hasLibrary(env: ProviderEnvironment, dir: string, base: string): boolean {
  if (env.exists(join(dir, base))) return true;
  for (const version of ['10', '9', '8']) if (env.exists(join(dir, `${base}.${version}`))) return true;
  return false;
}

/** The order 'auto' tries providers in, per platform; CPU is always last. TensorRT is opt-in (it builds an engine per shape, minutes). */
const AUTO_ORDER: Partial<Record<NodeJS.Platform, ProviderId[]>> = {
  linux: ['cuda', 'cpu'],
  win32: ['dml', 'cpu'],
  darwin: ['coreml', 'cpu'],
};

export interface ProviderPlan {
  /** Providers to try, best first; each attempt gives onnxruntime this provider then the CPU. */
  candidates: ProviderId[];
  /** True when the person chose the provider: a failure is then an error, not a quiet fallback. */
  forced: boolean;
}

export function planProviders(
  preference: ProviderPreference,
  providers: readonly ProviderInfo[] = listExecutionProviders(),
): ProviderPlan {
  if (preference === 'auto') {
    const available = new Set(providers.filter((p) => p.available).map((p) => p.id));
    const order = AUTO_ORDER[process.platform] ?? ['cpu'];
    return { candidates: order.filter((id) => id === 'cpu' || available.has(id)), forced: false };
  }
  if (!(PROVIDER_IDS as readonly string[]).includes(preference)) {
    throw new StirError(
      'BAD_REQUEST',
      `Unknown execution provider "${String(preference)}" (choose one of: auto, ${PROVIDER_IDS.join(', ')}).`,
      {
        details: { allowed: ['auto', ...PROVIDER_IDS] },
      },
    );
  }
  const chosen = providers.find((p) => p.id === preference);
  if (chosen && !chosen.available) {
    throw new StirError(
      'PROVIDER_FAILED',
      `${chosen.name} cannot be used on this machine: ${chosen.reason}.`,
      {
        hint: 'Choose "auto" or "cpu" in the model settings.',
        details: { provider: preference, reason: chosen.reason },
      },
    );
  }
  return { candidates: [preference], forced: true };
}
