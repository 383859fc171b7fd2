// The models area's settings file (the chosen device), read when asked and written atomically: a
// temporary file beside it, renamed over it, so a crash never leaves half a settings file.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DeviceChoiceSchema, StirError, type DeviceChoice } from '../../../shared/index.js';

export interface ModelsSettings {
  device: DeviceChoice;
}

const DEFAULTS: ModelsSettings = { device: 'auto' };

export class ModelsSettingsFile {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The saved settings; defaults for anything missing or unreadable (a damaged file is not fatal). */
  async read(): Promise<ModelsSettings> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(this.path, 'utf8'));
    } catch {
      return { ...DEFAULTS };
    }
    const device = DeviceChoiceSchema.safeParse((raw as { device?: unknown } | null)?.device);
    return { device: device.success ? device.data : DEFAULTS.device };
  }

  async update(patch: Partial<ModelsSettings>): Promise<ModelsSettings> {
    const next = { ...(await this.read()), ...patch };
    const temporary = `${this.path}.${randomUUID()}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`);
      await rename(temporary, this.path);
    } catch (caught) {
      await rm(temporary, { force: true });
      throw new StirError('OUTPUT_UNWRITABLE', `The models settings could not be saved to ${this.path}.`, {
        hint: 'Check that the folder can be written to.',
        cause: caught,
      });
    }
    return next;
  }
}
