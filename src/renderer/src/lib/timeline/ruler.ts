// The timeline's frame ruler: where ticks go and which carry a label, for any zoom of the timeline.

export interface Tick {
  frame: number;
  /** Position from the ruler's left edge, in pixels. */
  x: number;
  major: boolean;
  label: string | null;
}

/** Label steps in seconds a ruler may use; the smallest that leaves room for a label wins. */
const LABEL_STEPS = [0.25, 0.5, 1, 2, 5, 10];

export function rulerTicks(
  frameCount: number,
  fps: number,
  width: number,
  minLabelGap = 56,
  minTickGap = 5,
): Tick[] {
  if (frameCount < 1 || width <= 0) return [];
  const perFrame = width / frameCount;
  const seconds = frameCount / fps;
  const labelStep =
    LABEL_STEPS.find((s) => s * fps * perFrame >= minLabelGap && Number.isInteger(s * fps)) ??
    Math.ceil(seconds);
  const labelEvery = Math.max(1, Math.round(labelStep * fps));
  // Minor ticks every frame when there is room, else every few frames that divide the label step.
  let tickEvery = 1;
  while (tickEvery * perFrame < minTickGap && tickEvery < labelEvery) tickEvery++;
  while (labelEvery % tickEvery !== 0) tickEvery++;
  const ticks: Tick[] = [];
  for (let frame = 0; frame <= frameCount; frame += tickEvery) {
    const major = frame % labelEvery === 0;
    ticks.push({ frame, x: frame * perFrame, major, label: major ? formatSeconds(frame / fps) : null });
  }
  return ticks;
}

/** 0s, 0.5s, 1s, 2.25s: short labels for a ruler. */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(2))}s`;
}

/** The frame under a pointer at `x` pixels along a ruler `width` wide. */
export function frameAtX(x: number, width: number, frameCount: number): number {
  if (width <= 0) return 0;
  return Math.min(frameCount - 1, Math.max(0, Math.floor((x / width) * frameCount)));
}
