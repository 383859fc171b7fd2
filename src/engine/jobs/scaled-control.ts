import type { JobControl } from '../render/types.js';

/** A view of a job's control whose 0-1 progress maps onto [from, to] of the whole job. */
export function scaledControl(control: JobControl, from: number, to: number): JobControl {
  const scaled: JobControl = {
    signal: control.signal,
    progress: (stage, fraction) =>
      control.progress(stage, from + (to - from) * Math.min(1, Math.max(0, fraction))),
  };
  if (control.preview) scaled.preview = control.preview.bind(control);
  if (control.device) scaled.device = control.device.bind(control);
  return scaled;
}
