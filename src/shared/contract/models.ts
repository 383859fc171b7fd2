// Model packs and devices: what is installed, installing (a job that can be paused, resumed and
// cancelled, with speed and time left), verifying, removing, and which execution provider runs the models.
// The model manager in the editor and `stir models` in the CLI are built on these alone.
import { z } from 'zod';
import { method } from './define.js';
import { JobStartedSchema } from './jobs.js';

/** What a pack can do (MODEL-PACKS.md): click-to-mask (SAM), animate (the video UNet), follow a pose. */
export const PackCapabilitySchema = z.enum(['segmenter', 'diffusion', 'pose']);
export type PackCapability = z.infer<typeof PackCapabilitySchema>;

export const PackComponentInfoSchema = z.object({
  /** segmenter, textEncoder, vae, unet, controlnet. */
  name: z.string(),
  files: z.array(z.string()),
  bytes: z.number().int().nonnegative(),
});
export type PackComponentInfo = z.infer<typeof PackComponentInfoSchema>;

export const InstalledPackSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  license: z.string(),
  homepage: z.string().nullable(),
  /** The pack's folder. */
  dir: z.string(),
  /** Bytes on disk, all files. */
  bytes: z.number().int().nonnegative(),
  fileCount: z.number().int().nonnegative(),
  capabilities: z.array(PackCapabilitySchema),
  components: z.array(PackComponentInfoSchema),
  /** ISO time of the install, null for a pack copied in by hand. */
  installedAt: z.string().nullable(),
  /** Where it was installed from (folder, zip or URL). */
  source: z.string().nullable(),
  /** "ready" when its manifest reads; "broken" when not (listing does not re-hash: use verifyPack). */
  status: z.enum(['ready', 'broken']),
  problem: z.string().nullable(),
});
export type InstalledPack = z.infer<typeof InstalledPackSchema>;

export const PackInstallStateSchema = z.enum([
  'starting',
  'connecting',
  'downloading',
  'paused',
  'retrying',
  'checking',
  'copying',
  'unpacking',
  'validating',
  'installing',
]);
export type PackInstallState = z.infer<typeof PackInstallStateSchema>;

/** Where an install stands; sent as packInstallProgress events and listed by listPacks while it runs. */
export const PackInstallProgressSchema = z.object({
  jobId: z.string(),
  source: z.string(),
  state: PackInstallStateSchema,
  /** The file being transferred or checked, relative to the pack; null between files. */
  file: z.string().nullable(),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative().nullable(),
  /** Over the last few seconds; null while paused or before there is enough to tell. */
  bytesPerSecond: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** Whether pauseJob applies now (downloads only). */
  canPause: z.boolean(),
});
export type PackInstallProgress = z.infer<typeof PackInstallProgressSchema>;

/** An install that has been accepted and has not reported yet: the engine's first state and the editor's. */
export function startingInstallProgress(jobId: string, source: string): PackInstallProgress {
  return {
    jobId,
    source,
    state: 'starting',
    file: null,
    bytesDone: 0,
    bytesTotal: null,
    bytesPerSecond: null,
    etaSeconds: null,
    canPause: false,
  };
}

export const ListPacksResultSchema = z.object({
  modelsDir: z.string(),
  packs: z.array(InstalledPackSchema),
  /** Installs running now (a reloaded editor picks them up again). */
  installs: z.array(PackInstallProgressSchema),
});
export type ListPacksResult = z.infer<typeof ListPacksResultSchema>;

export const InstallPackParamsSchema = z.object({
  /** A pack folder, a .zip file, or an http(s) URL of a .zip or of a stir-pack.json. */
  source: z.string().min(1),
  /** The .zip's sha256 (hex), when the page that links it gives one: checked before anything is unpacked. */
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits')
    .optional(),
  /** Replace an installed pack with the same id (else the install is refused). */
  replace: z.boolean().default(false),
  /**
   * The person typed the source into the editor's field (set by the Models dialog only): browser mode then
   * lets a URL name this machine or a private network, which it refuses otherwise.
   */
  typed: z.boolean().default(false),
});

export const PackInstallResultSchema = z.object({
  pack: InstalledPackSchema,
  /** The version that was replaced, if any. */
  replaced: z.string().nullable(),
  /** Bytes fetched over the network in this job (0 for a folder or a zip on disk). */
  downloadedBytes: z.number().int().nonnegative(),
  /** Offsets where a download continued with a range request (after a cut or a pause). */
  resumedAt: z.array(z.number().int().nonnegative()),
  /** Times a server ignored a range request and a download started over. */
  restarts: z.number().int().nonnegative(),
  millis: z.number().nonnegative(),
});
export type PackInstallResult = z.infer<typeof PackInstallResultSchema>;

export const PackFileCheckSchema = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative().nullable(),
  ok: z.boolean(),
  /** What is wrong, in words: missing, wrong size, wrong sha256. */
  problem: z.string().nullable(),
});

export const VerifyPackResultSchema = z.object({
  packId: z.string(),
  ok: z.boolean(),
  files: z.array(PackFileCheckSchema),
  /** Every problem found: files, then the sessions' inputs and outputs against the contract. */
  problems: z.array(z.string()),
  millis: z.number().nonnegative(),
});
export type VerifyPackResult = z.infer<typeof VerifyPackResultSchema>;

/** ONNX Runtime execution providers Stir can use (MODEL-PACKS.md, "Execution providers"). */
export const DeviceIdSchema = z.enum(['cpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'webgpu']);
export type DeviceId = z.infer<typeof DeviceIdSchema>;

export const DeviceInfoSchema = z.object({
  id: DeviceIdSchema,
  /** In words: "CUDA (NVIDIA)", "DirectML", "CPU". */
  name: z.string(),
  available: z.boolean(),
  /** Why it is not available, or what to know about it. */
  note: z.string(),
});
export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;

export const DeviceChoiceSchema = z.union([z.literal('auto'), DeviceIdSchema]);
export type DeviceChoice = z.infer<typeof DeviceChoiceSchema>;

export const DevicesSchema = z.object({
  /** Best first; the CPU is always there. */
  devices: z.array(DeviceInfoSchema),
  /** What the person chose ("auto": the best available). */
  choice: DeviceChoiceSchema,
  /** What jobs will use now. */
  active: DeviceIdSchema,
  /** Set when the choice is not available here, so `active` differs from it. */
  note: z.string().nullable(),
});
export type Devices = z.infer<typeof DevicesSchema>;

/** The device a job's models actually ran on, sent once per job that creates sessions. */
export const JobDeviceSchema = z.object({
  jobId: z.string(),
  device: DeviceIdSchema,
  /** The device that was tried first and failed, when the job fell back to the CPU. */
  fellBackFrom: DeviceIdSchema.nullable(),
  /** Why it fell back, in words. */
  reason: z.string().nullable(),
});
export type JobDevice = z.infer<typeof JobDeviceSchema>;

export const PacksChangedSchema = z.object({ packs: z.array(InstalledPackSchema) });

export const modelMethods = {
  listPacks: method(
    z.object({}).default({}),
    ListPacksResultSchema,
    'The installed model packs (size, capabilities, components) and the installs running now.',
  ),
  installPack: method(
    InstallPackParamsSchema,
    JobStartedSchema,
    'Installs a pack from a folder, a .zip or a URL as a pack-install job (packInstallProgress events).',
  ),
  pauseJob: method(
    z.object({ jobId: z.string() }),
    z.object({ paused: z.boolean() }),
    'Pauses a pack download (it continues from where it stopped on resumeJob); false for other jobs.',
  ),
  resumeJob: method(
    z.object({ jobId: z.string() }),
    z.object({ resumed: z.boolean() }),
    'Resumes a paused pack download with a range request.',
  ),
  verifyPack: method(
    z.object({ packId: z.string() }),
    VerifyPackResultSchema,
    'Re-checks every file of an installed pack (size, sha256) and its sessions against the contract.',
  ),
  removePack: method(
    z.object({ packId: z.string() }),
    z.object({ removed: z.boolean(), bytes: z.number().int().nonnegative() }),
    'Deletes an installed pack.',
  ),
  listDevices: method(
    z.object({}).default({}),
    DevicesSchema,
    'The execution providers this machine can use, the choice, and the one jobs will use.',
  ),
  setDevice: method(
    z.object({ device: DeviceChoiceSchema }),
    DevicesSchema,
    'Chooses the execution provider ("auto" for the best available); remembered across sessions.',
  ),
};
