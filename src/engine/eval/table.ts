// The plain-text tables `stir eval` prints: a header, the rows and a targets line, columns aligned.

/** A number to `digits` places, or `none` when it was not measured. */
export function fixed(value: number | null, digits: number, none = 'n/a'): string {
  return value === null ? none : value.toFixed(digits);
}

/**
 * Header, rule, rows, rule, targets, as lines: the first `leftColumns` columns are names (left-aligned),
 * the rest figures (right-aligned).
 */
export function alignedTable(
  header: readonly string[],
  rows: readonly string[][],
  targets: readonly string[],
  leftColumns = 1,
): string[] {
  const all = [header, ...rows, targets];
  const widths = header.map((_, c) => Math.max(...all.map((line) => line[c]!.length)));
  const render = (line: readonly string[]) =>
    line.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [render(header), rule, ...rows.map(render), rule, render(targets)];
}
