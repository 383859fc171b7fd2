// What a person is told when a region cannot move as they asked. Strength is the mean speed of the
// region's points (QUALITY.md), and most motions reach it at their word's tempo; some cannot, for reasons
// the person would not guess: a looping travel must leave the picture and come back within the clip, so
// it has a slowest speed; a swing or a wave held by a narrow region has a widest; a motion in place that
// would swing past its band reaches its speed by going quicker than its word; a breath on something that is
// not a person swells no more than a breath does. The clip is still made, and
// the person reads why and what to change beside the slider.

/** Field strength this far from the request (as a ratio either way) is told; closer is the request. */
const TOLD_BEYOND = 1.15;

export interface StrengthNoteInput {
  /** Requested and reached strength, px/frame at a 512-pixel long side. */
  strength: number;
  fieldStrength: number;
  /** The motion the region got (spec.ts), and its family (plan.ts). */
  primitive: string;
  loops: boolean;
  /** The clip's length in seconds (the region's active span). */
  seconds: number;
}

/** A sentence when the region moves at a strength other than asked, else null. */
export function strengthNote(input: StrengthNoteInput): string | null {
  const { strength, fieldStrength, primitive, loops, seconds } = input;
  if (!(strength > 0) || !(fieldStrength > 0)) return null;
  const ratio = fieldStrength / strength;
  if (ratio <= TOLD_BEYOND && ratio >= 1 / TOLD_BEYOND) return null;
  const reached = fieldStrength.toFixed(1);
  const asked = strength.toFixed(1);
  if (ratio > 1) {
    if (primitive === 'travel' && loops) {
      return (
        `Moves at strength ${reached}, not ${asked}: in a ${seconds.toFixed(1)} s loop it has to leave the ` +
        'picture and come back, which takes at least that. For a slower one, choose Once or Ping-pong, or a ' +
        'longer clip.'
      );
    }
    return `Moves at strength ${reached}, not ${asked}: that is the slowest this motion goes on this region.`;
  }
  return (
    `Moves at strength ${reached}, not ${asked}: that is as far as it can swing on this region without ` +
    'tearing or dragging what lies beside it. A larger region, or a faster tempo, moves more.'
  );
}

/** The notes of an animation's regions, for the render and export results (none from other engines). */
export function notesOf(
  regions: ReadonlyArray<{ id: string; note: string | null }>,
): { regionId: string; note: string }[] {
  return regions.flatMap((region) => (region.note ? [{ regionId: region.id, note: region.note }] : []));
}

/**
 * Said when a breath on something that is not a person was held at its widest (layers.ts BREATH_LARGEST,
 * or its band): it keeps a breath's tempo rather than panting, so a stronger one is another word's.
 * `held`: the swell it got and the one asked, as shares of the region's size.
 */
export function breathNote(
  held: { largest: number; asked: number },
  strength: number,
  fieldStrength: number,
): string | null {
  if (!(fieldStrength > 0) || strength / fieldStrength <= TOLD_BEYOND) return null;
  // A breath's strengths are small: two figures, so 0.15 is not read as 0.2.
  const figure = (value: number) => (value < 1 ? value.toFixed(2) : value.toFixed(1));
  const percent = (share: number) => `${(100 * share).toFixed(1)}%`;
  return (
    `Moves at strength ${figure(fieldStrength)}, not ${figure(strength)}: a breath swells this region by ` +
    `at most ${percent(held.largest)}, and at strength ${figure(strength)} it would swell by ` +
    `${percent(held.asked)}. For more movement, choose 'bob' or 'float'.`
  );
}

/**
 * Said when a motion in place was made quicker than its word so that its swing stays inside its band:
 * strength is speed, and a wide enough swing would carry the region past what its band allows.
 */
export function tempoNote(quickened: { hz: number; naturalHz: number }, strength: number): string {
  return (
    `Moves at ${quickened.hz.toFixed(2)} cycles a second, faster than the word's ${quickened.naturalHz.toFixed(2)}: ` +
    `at strength ${strength.toFixed(1)} a slower swing would carry it past the edge of its region. For a calmer ` +
    'one, lower the strength.'
  );
}
