// What this engine offers, loaded once per connection: the motion lexicon (for suggestions), the animation
// engines and installed model packs (for the engine choice), and the export presets.
import type { EngineInfo, ExportPreset, InstalledPack, MotionInfo, StirClient } from '@shared/index.js';

/** When the lexicon is not there (an engine part missing), new regions still get a word the engine knows. */
const FALLBACK_MOTION: MotionInfo = {
  word: 'sway',
  aliases: [],
  primitive: 'sway',
  description: 'Moves back and forth like branches in the wind.',
  engine: 'motion',
  loops: true,
  takesDirection: true,
  defaultStrength: 4,
  leavesMask: false,
};

export interface MotionSuggestion {
  motion: MotionInfo;
  /** The alias that matched what was typed, when it was not the word itself. */
  via: string | null;
}

export class Catalog {
  motions = $state.raw<readonly MotionInfo[]>([]);
  engines = $state.raw<readonly EngineInfo[]>([]);
  packs = $state.raw<readonly InstalledPack[]>([]);
  presets = $state.raw<readonly ExportPreset[]>([]);
  readonly #client: StirClient;

  constructor(client: StirClient) {
    this.#client = client;
    // A pack installed or removed (the model manager, or `stir models` on the same engine): the engine
    // choice offers what is there now.
    client.on('packsChanged', ({ packs }) => {
      this.packs = packs;
      void client.listEngines({}).then(
        (engines) => (this.engines = engines),
        () => undefined,
      );
    });
  }

  /** Loads everything; a part that fails stays empty (the editor still works without it). */
  async load(): Promise<void> {
    const [motions, engines, packs, presets] = await Promise.allSettled([
      this.#client.listMotions({}),
      this.#client.listEngines({}),
      this.#client.listPacks({}),
      this.#client.listExportPresets({}),
    ]);
    if (motions.status === 'fulfilled') this.motions = motions.value;
    if (engines.status === 'fulfilled') this.engines = engines.value;
    if (packs.status === 'fulfilled') this.packs = packs.value.packs;
    if (presets.status === 'fulfilled') this.presets = presets.value;
  }

  defaultMotion(): MotionInfo {
    return (
      this.motions.find((m) => m.word === 'sway') ??
      this.motions.find((m) => m.engine === 'motion') ??
      FALLBACK_MOTION
    );
  }

  motion(word: string): MotionInfo | null {
    const w = word.trim().toLowerCase();
    return this.motions.find((m) => m.word === w || m.aliases.includes(w)) ?? null;
  }

  /** Packs that can animate (the diffusion engine needs one). */
  get diffusionPacks(): InstalledPack[] {
    return this.packs.filter((p) => p.status === 'ready' && p.capabilities.includes('diffusion'));
  }

  /** Lexicon words for what has been typed: words starting with it first, then aliases, then words containing it. */
  suggest(typed: string, engine: 'motion' | 'diffusion', limit = 8): MotionSuggestion[] {
    const q = typed.trim().toLowerCase();
    const usable = this.motions.filter((m) => engine === 'diffusion' || m.engine === 'motion');
    if (!q) return usable.slice(0, limit).map((motion) => ({ motion, via: null }));
    const scored: Array<{ s: MotionSuggestion; rank: number }> = [];
    for (const motion of usable) {
      if (motion.word.startsWith(q)) scored.push({ s: { motion, via: null }, rank: 0 });
      else {
        const alias = motion.aliases.find((a) => a.startsWith(q));
        if (alias) scored.push({ s: { motion, via: alias }, rank: 1 });
        else if (motion.word.includes(q) || motion.description.toLowerCase().includes(q)) {
          scored.push({ s: { motion, via: null }, rank: 2 });
        }
      }
    }
    return scored
      .sort((a, b) => a.rank - b.rank || a.s.motion.word.localeCompare(b.s.motion.word))
      .slice(0, limit)
      .map((x) => x.s);
  }
}
