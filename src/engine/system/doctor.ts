// `stir doctor`: what this machine has, and whether Stir can work with it. Each probe is passed in, so
// the report is the same code in the CLI, the editor and the tests.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DoctorCheck, DoctorReport } from '../../shared/index.js';

export interface DoctorProbes {
  ffmpeg(): Promise<DoctorReport['ffmpeg']>;
  ffprobe(): Promise<DoctorReport['ffprobe']>;
  onnxruntime(): Promise<DoctorReport['onnxruntime']>;
  /** OpenCV.js's version once loaded, or null when it cannot load. */
  opencv(): Promise<string | null>;
  /** sharp's libvips version, or null. */
  sharp(): Promise<string | null>;
}

const require = createRequire(import.meta.url);

/** Whether the Electron binary was downloaded (npm ci skips it where it cannot be fetched). */
export function electronStatus(): DoctorReport['electron'] {
  try {
    const packageJson = require.resolve('electron/package.json');
    const dir = dirname(packageJson);
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return { present: false, version, path: null };
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary)
      ? { present: true, version, path: binary }
      : { present: false, version, path: null };
  } catch {
    return { present: false, version: 'not installed', path: null };
  }
}

async function settle<T>(probe: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await probe();
  } catch {
    return fallback;
  }
}

export async function runDoctor(probes: DoctorProbes): Promise<DoctorReport> {
  const [ffmpeg, ffprobe, onnxruntime, opencvVersion, sharpVersion] = await Promise.all([
    settle(probes.ffmpeg, null),
    settle(probes.ffprobe, null),
    settle(probes.onnxruntime, null),
    settle(probes.opencv, null),
    settle(probes.sharp, null),
  ]);
  const electron = electronStatus();
  // WebGPU is bundled with onnxruntime-node but experimental, and "available" only means bundled: it does not
  // count as acceleration until a session has run on it.
  const accelerated = onnxruntime?.providers.filter((p) => p !== 'cpu' && p !== 'webgpu') ?? [];

  const checks: DoctorCheck[] = [
    {
      name: 'ffmpeg',
      ok: ffmpeg !== null,
      required: true,
      detail: ffmpeg
        ? `${ffmpeg.version} (${ffmpeg.source}: ${ffmpeg.path})`
        : 'not found: install ffmpeg (apt-get install ffmpeg, brew install ffmpeg) or set STIR_FFMPEG',
    },
    {
      name: 'ffprobe',
      ok: ffprobe !== null,
      required: false,
      detail: ffprobe ? `${ffprobe.version} (${ffprobe.path})` : 'not found (only the tests use it)',
    },
    {
      name: 'image codecs (sharp)',
      ok: sharpVersion !== null,
      required: true,
      detail: sharpVersion ? `libvips ${sharpVersion}` : 'sharp failed to load: run npm ci again',
    },
    {
      name: 'OpenCV.js',
      ok: opencvVersion !== null,
      required: true,
      detail: opencvVersion ? `loaded, ${opencvVersion}` : 'failed to load: run npm ci again',
    },
    {
      name: 'onnxruntime',
      ok: onnxruntime !== null,
      required: true,
      detail: onnxruntime
        ? `${onnxruntime.version}, providers: ${onnxruntime.providers.join(', ')}`
        : 'onnxruntime-node failed to load',
    },
    {
      name: 'GPU acceleration',
      ok: accelerated.length > 0,
      required: false,
      detail:
        accelerated.length > 0
          ? accelerated.join(', ')
          : 'none: the diffusion engine runs on the CPU (slowly); the built-in engine does not need one',
    },
    {
      name: 'Electron',
      ok: electron.present,
      required: false,
      detail: electron.present
        ? `${electron.version} (${electron.path})`
        : `binary not downloaded (electron ${electron.version}): \`npm run web\` opens the editor in a browser; \`npm run setup:downloads\` with internet fetches it`,
    },
  ];

  return {
    ok: checks.every((check) => check.ok || !check.required),
    checks,
    ffmpeg,
    ffprobe,
    onnxruntime,
    electron,
    opencv: { loaded: opencvVersion !== null, version: opencvVersion },
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = report.checks.map((check) => {
    const mark = check.ok ? 'ok     ' : check.required ? 'MISSING' : 'absent ';
    return `  ${mark}  ${check.name.padEnd(width)}  ${check.detail}`;
  });
  const verdict = report.ok
    ? 'Stir has what it needs.'
    : 'Something Stir needs is missing (marked MISSING above).';
  return `Stir doctor (node ${report.node}, ${report.platform})\n${lines.join('\n')}\n${verdict}\n`;
}
