import { formatDoctorReport } from '../../engine/system/doctor.js';
import type { CliCommand } from '../command.js';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check what this machine has (ffmpeg, onnxruntime, Electron, OpenCV)',
  usage:
    'Usage: stir doctor [--json]\n\nPrints what Stir found and exits non-zero when something required is missing.',
  async run(args, context) {
    const client = await context.client();
    const report = await client.doctor({});
    if (args.includes('--json')) context.io.out(JSON.stringify(report, null, 2) + '\n');
    else context.io.out(formatDoctorReport(report));
    return report.ok ? 0 : 1;
  },
};
