// Chooses the animation engine for a render: the built-in motion engine, or the diffusion engine over a
// model pack (an installed pack's id, or a pack folder given on the command line). Diffusion engines are
// kept per (pack, device) so their ONNX sessions stay loaded between renders, and released when packs or
// the device choice change.
import { isAbsolute } from 'node:path';
import { StirError, type AnimationSettings, type EngineInfo } from '../../shared/index.js';
import { createDiffusionEngine, type DiffusionEngine } from '../diffusion/index.js';
import type { ProviderPreference } from '../models/providers.js';
import type { EngineProvider } from '../ports.js';
import type { AnimationEngine, RegionSpec } from './types.js';

export interface InstalledPackInfo {
  id: string;
  dir: string;
  capabilities: readonly string[];
  status: 'ready' | 'broken';
}

export interface EngineProviderOptions {
  motion: AnimationEngine;
  /** Throws UNKNOWN_MOTION / NEEDS_DIFFUSION naming the region (the motion lexicon). */
  checkMotionRegions(regions: readonly RegionSpec[]): void;
  /** Installed packs (empty when no models folder is set up). */
  packs(): Promise<InstalledPackInfo[]>;
  /** The device the person chose, read at each render. */
  device(): Promise<ProviderPreference>;
}

const MOTION_CAPABILITIES = [
  'no download, runs on the CPU',
  'flow, ripple, drift, rise, rain, snow (seamless loops)',
  'sway, wave, bob, spin, swing, shake, pulse (layered, inpainted)',
  'zoom, pan, push in (whole photo)',
  'instant preview',
];

export class DefaultEngineProvider implements EngineProvider {
  readonly #options: EngineProviderOptions;
  readonly #diffusion = new Map<string, DiffusionEngine>();

  constructor(options: EngineProviderOptions) {
    this.#options = options;
  }

  check(settings: AnimationSettings, regions: readonly RegionSpec[]): void {
    if (settings.engine === 'motion') {
      this.#options.checkMotionRegions(regions);
      return;
    }
    if (!settings.packId) {
      throw new StirError('PACK_MISSING', 'The diffusion engine needs a model pack, and none is chosen.', {
        hint: 'Install a pack (Models, or `stir models install`) and choose it, or switch to the built-in engine.',
      });
    }
  }

  async get(settings: AnimationSettings): Promise<AnimationEngine> {
    if (settings.engine === 'motion') return this.#options.motion;
    const packDir = await this.#packDir(settings.packId);
    const device = await this.#options.device();
    const key = `${packDir}\u0000${device}`;
    let engine = this.#diffusion.get(key);
    if (!engine) {
      // A folder given by path was never checked by the installer: its files' sha256 are checked once here.
      engine = createDiffusionEngine({
        packDir,
        provider: device,
        verifyHashes: isAbsolute(settings.packId ?? ''),
      });
      // Checks the pack up front: a missing or damaged pack fails here with its own message.
      await engine.pack();
      this.#diffusion.set(key, engine);
    }
    return engine;
  }

  async list(): Promise<EngineInfo[]> {
    const packs = (await this.#options.packs()).filter(
      (p) => p.status === 'ready' && p.capabilities.includes('diffusion'),
    );
    return [
      {
        id: 'motion',
        name: 'Built-in motion',
        available: true,
        note: 'Ambient and physical motion from motion fields inside each region. Needs nothing to download.',
        capabilities: MOTION_CAPABILITIES,
      },
      {
        id: 'diffusion',
        name: 'Diffusion (Follow-Your-Click)',
        available: packs.length > 0,
        note:
          packs.length > 0
            ? `Open-domain motion from a short prompt with ${packs.map((p) => p.id).join(', ')}; fastest on a GPU.`
            : 'Needs a model pack: install one from Models (or `stir models install`).',
        capabilities: [
          'any short prompt: smile, blink, flap the wings, dance',
          'pose skeletons (with a pose pack)',
          'several regions with their own prompts',
        ],
      },
    ];
  }

  /** Drops loaded diffusion sessions (packs or the device changed, or memory is needed). */
  async release(): Promise<void> {
    const engines = [...this.#diffusion.values()];
    this.#diffusion.clear();
    await Promise.all(engines.map((engine) => engine.dispose()));
  }

  async #packDir(packId: string | null): Promise<string> {
    if (!packId)
      throw new StirError('PACK_MISSING', 'The diffusion engine needs a model pack, and none is chosen.');
    if (isAbsolute(packId)) return packId;
    const pack = (await this.#options.packs()).find((p) => p.id === packId);
    if (!pack) {
      throw new StirError('PACK_MISSING', `No model pack called "${packId}" is installed.`, {
        hint: "See the installed packs with `stir models list`, or give the pack folder's path.",
      });
    }
    if (pack.status !== 'ready')
      throw new StirError('PACK_INVALID', `The model pack "${packId}" is damaged.`, {
        hint: 'Run `stir models verify`.',
      });
    return pack.dir;
  }
}
