import { describe, expect, it } from 'vitest';
import { formatDoctorReport, runDoctor, type DoctorProbes } from '../../../src/engine/system/doctor.js';

const everything: DoctorProbes = {
  ffmpeg: async () => ({ path: '/usr/bin/ffmpeg', version: '5.1', source: 'path' }),
  ffprobe: async () => ({ path: '/usr/bin/ffprobe', version: '5.1' }),
  onnxruntime: async () => ({ version: '1.30.0', providers: ['cpu', 'webgpu'] }),
  opencv: async () => '4.12.0',
  sharp: async () => '8.18.7',
};

describe('stir doctor', () => {
  it('is content when everything required is there, and does not count bundled WebGPU as a GPU', async () => {
    const report = await runDoctor(everything);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'GPU acceleration')?.ok).toBe(false);
    expect(formatDoctorReport(report)).toContain('Stir has what it needs.');
  });

  it('fails when a required part is missing or throws, and says what to do', async () => {
    const report = await runDoctor({
      ...everything,
      ffmpeg: async () => null,
      opencv: async () => {
        throw new Error('wasm failed');
      },
    });
    expect(report.ok).toBe(false);
    const text = formatDoctorReport(report);
    expect(text).toMatch(/MISSING\s+ffmpeg\s+not found: install ffmpeg/);
    expect(text).toMatch(/MISSING\s+OpenCV\.js/);
    expect(text).toContain('Something Stir needs is missing');
  });

  it('an absent Electron binary is reported but not required (browser mode works)', async () => {
    const report = await runDoctor(everything);
    const electron = report.checks.find((c) => c.name === 'Electron');
    expect(electron?.required).toBe(false);
    if (!report.electron.present) expect(electron?.detail).toContain('npm run web');
  });
});
