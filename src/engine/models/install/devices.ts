// Devices as the person sees them: the execution providers this machine can use (the providers module
// detects them), best first, the one chosen (persisted), and the one jobs will use. A GPU that fails to
// start or runs out of memory is answered with an error that says so and offers the CPU.
import {
  StirError,
  type DeviceChoice,
  type DeviceId,
  type DeviceInfo,
  type Devices,
} from '../../../shared/index.js';
import {
  PROVIDER_NAMES,
  listExecutionProviders,
  planProviders,
  type ProviderInfo,
  type ProviderPreference,
} from '../providers.js';
import { ModelsSettingsFile } from './settings.js';

/** Best first, among the available ones. TensorRT is fastest once built, but builds for minutes per shape. */
const RANK: readonly DeviceId[] = ['cuda', 'tensorrt', 'dml', 'coreml', 'webgpu', 'cpu'];

export function describeDevices(choice: DeviceChoice, providers: readonly ProviderInfo[]): Devices {
  const devices: DeviceInfo[] = [...providers]
    .sort((a, b) => Number(b.available) - Number(a.available) || RANK.indexOf(a.id) - RANK.indexOf(b.id))
    .map((p) => ({ id: p.id, name: p.name, available: p.available, note: p.reason }));
  const best = bestDevice(providers);
  if (choice === 'auto') return { devices, choice, active: best, note: null };
  const chosen = providers.find((p) => p.id === choice);
  if (chosen?.available) return { devices, choice, active: choice, note: null };
  return {
    devices,
    choice,
    active: best,
    note: `${PROVIDER_NAMES[choice]} was chosen but cannot be used here (${chosen?.reason ?? 'unknown'}); ${PROVIDER_NAMES[best]} is used instead.`,
  };
}

/**
 * What sessions should be created with, from the saved choice (`settingsPath`, the models settings file):
 * the chosen device when it can run here, else 'auto'. Read at each job, so a new choice applies at once.
 */
export async function readProviderPreference(
  settingsPath: string,
  providers: readonly ProviderInfo[] = listExecutionProviders(),
): Promise<ProviderPreference> {
  const { choice, active } = describeDevices(
    (await new ModelsSettingsFile(settingsPath).read()).device,
    providers,
  );
  return choice !== 'auto' && choice === active ? choice : 'auto';
}

/** What 'auto' picks: the providers module's order for this platform, the CPU when nothing else is there. */
export function bestDevice(providers: readonly ProviderInfo[]): DeviceId {
  return planProviders('auto', providers).candidates[0] ?? 'cpu';
}

/** Refuses a choice this machine cannot run, naming why and what can be chosen. */
export function assertChoosable(choice: DeviceChoice, providers: readonly ProviderInfo[]): void {
  if (choice === 'auto' || choice === 'cpu') return;
  const chosen = providers.find((p) => p.id === choice);
  if (chosen?.available) return;
  const usable = providers.filter((p) => p.available).map((p) => p.id);
  throw new StirError(
    'PROVIDER_FAILED',
    `${PROVIDER_NAMES[choice]} cannot be used on this machine: ${chosen?.reason ?? 'it is unknown here'}.`,
    {
      hint: `Choose one of: auto, ${usable.join(', ')}.`,
      details: { provider: choice, allowed: ['auto', ...usable], fallback: 'cpu' },
    },
  );
}

/**
 * A provider failure as the person should read it: what failed, on which device, and that the CPU can do
 * it instead (details.fallback = 'cpu', which the editor turns into a "Use the CPU" button). Errors that
 * are not about the device pass through unchanged; so does anything that already ran on the CPU.
 */
export function offerCpu(caught: unknown, device: DeviceId): unknown {
  if (!(caught instanceof StirError) || device === 'cpu') return caught;
  if (caught.code !== 'PROVIDER_FAILED' && caught.code !== 'OUT_OF_MEMORY') return caught;
  const name = PROVIDER_NAMES[device];
  const message =
    caught.code === 'OUT_OF_MEMORY'
      ? `The GPU (${name}) ran out of memory. ${caught.message}`
      : caught.message.includes(name)
        ? caught.message
        : `${name} failed to start. ${caught.message}`;
  return new StirError(caught.code, message, {
    hint: `Run it on the CPU instead (slower, but it has more memory), or close other programs that use the GPU. ${caught.hint ?? ''}`.trim(),
    details: { ...caught.details, provider: device, fallback: 'cpu' },
    cause: caught,
  });
}
