import { describe, expect, it } from 'vitest';
import {
  maskBounds,
  maskContains,
  overlayPixels,
  stampLine,
} from '../../../src/renderer/src/lib/canvas/mask-pixels.js';
import { frameAtX, rulerTicks } from '../../../src/renderer/src/lib/timeline/ruler.js';
import { displayCombo, SHORTCUTS, shortcutFor } from '../../../src/renderer/src/lib/editor/shortcuts.js';
import { formatEta, formatTimecode } from '../../../src/renderer/src/lib/ui/format.js';

const key = (
  k: string,
  mods: Partial<{ ctrl: boolean; shift: boolean; alt: boolean; meta: boolean }> = {},
) => ({
  key: k,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('mask pixels', () => {
  const mask = { width: 8, height: 6, data: new Uint8Array(48) };
  stampLine(mask, { x: 2, y: 3 }, { x: 5, y: 3 }, 1.2, 255);

  it('brush stamps leave a gapless stroke, and bounds and hit tests read it', () => {
    expect(maskBounds(mask)).toEqual({ x: 1, y: 2, width: 5, height: 2 });
    for (let x = 2; x <= 5; x++) expect(maskContains(mask, x + 0.5, 3.5)).toBe(true);
    expect(maskContains(mask, 7.5, 0.5)).toBe(false);
    expect(maskBounds({ width: 2, height: 2, data: new Uint8Array(4) })).toBeNull();
  });

  it('the overlay is opaque on the outline, translucent inside, clear outside', () => {
    const solid = { width: 9, height: 9, data: new Uint8Array(81) };
    for (let y = 1; y <= 7; y++) for (let x = 1; x <= 7; x++) solid.data[y * 9 + x] = 255;
    const px = overlayPixels(solid, [10, 20, 30], 9, 9, 96, 2);
    const alpha = (x: number, y: number) => px[(y * 9 + x) * 4 + 3];
    expect(alpha(4, 4)).toBe(96);
    expect(alpha(1, 1)).toBe(255);
    expect(alpha(2, 4)).toBe(255);
    expect(alpha(3, 4)).toBe(96);
    expect(alpha(0, 0)).toBe(0);
    expect([...px.slice((4 * 9 + 4) * 4, (4 * 9 + 4) * 4 + 3)]).toEqual([10, 20, 30]);
  });
});

describe('timeline ruler', () => {
  it('labels whole seconds with room between labels and ticks every frame when they fit', () => {
    const ticks = rulerTicks(72, 24, 480);
    expect(ticks.filter((t) => t.label).map((t) => t.label)).toEqual([
      '0s',
      '0.5s',
      '1s',
      '1.5s',
      '2s',
      '2.5s',
      '3s',
    ]);
    expect(ticks.filter((t) => !t.major).length).toBeGreaterThan(50);
    expect(ticks[1]!.frame).toBe(1);
  });

  it('thins ticks and labels on a narrow ruler', () => {
    const ticks = rulerTicks(240, 24, 300);
    const labels = ticks.filter((t) => t.label);
    for (let i = 1; i < labels.length; i++)
      expect(labels[i]!.x - labels[i - 1]!.x).toBeGreaterThanOrEqual(56);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.x - ticks[i - 1]!.x).toBeGreaterThanOrEqual(5);
  });

  it('finds the frame under the pointer', () => {
    expect(frameAtX(0, 720, 72)).toBe(0);
    expect(frameAtX(719, 720, 72)).toBe(71);
    expect(frameAtX(5000, 720, 72)).toBe(71);
    expect(frameAtX(365, 720, 72)).toBe(36);
  });
});

describe('keyboard shortcuts', () => {
  it('match with their modifiers and nothing else', () => {
    expect(shortcutFor(key('z', { ctrl: true }), false)?.command).toBe('undo');
    expect(shortcutFor(key('Z', { ctrl: true, shift: true }), false)?.command).toBe('redo');
    expect(shortcutFor(key('z', { meta: true, shift: true }), false)?.command).toBe('redo');
    expect(shortcutFor(key('b'), false)?.command).toBe('tool-brush');
    expect(shortcutFor(key('b', { ctrl: true }), false)).toBeNull();
    expect(shortcutFor(key('?', { shift: true }), false)?.command).toBe('show-shortcuts');
    expect(shortcutFor(key(' '), false)?.command).toBe('toggle-preview');
    expect(shortcutFor(key('H', { shift: true }), false)?.command).toBe('toggle-region-visible');
    expect(shortcutFor(key('Tab'), false)?.command).toBe('next-selection');
    expect(shortcutFor(key('Tab', { shift: true }), false)?.command).toBe('previous-selection');
  });

  it('only file and save shortcuts fire while typing in a field', () => {
    expect(shortcutFor(key('b'), true)).toBeNull();
    expect(shortcutFor(key('s', { ctrl: true }), true)?.command).toBe('save-project');
  });

  it('no two shortcuts share a key', () => {
    const all = SHORTCUTS.flatMap((s) => s.keys.map((k) => k.toLowerCase()));
    expect(new Set(all).size).toBe(all.length);
  });

  it('shows keys the way each platform writes them', () => {
    expect(displayCombo('Mod+Shift+Z', 'Linux x86_64')).toBe('Ctrl+Shift+Z');
    expect(displayCombo('Mod+Shift+Z', 'MacIntel')).toBe('⌘⇧Z');
    expect(displayCombo('Space', 'Win32')).toBe('Space');
  });
});

describe('formatting', () => {
  it('writes timecodes and time left', () => {
    expect(formatTimecode(1.25)).toBe('0:01.25');
    expect(formatTimecode(75.5)).toBe('1:15.50');
    expect(formatEta(null)).toBeNull();
    expect(formatEta(12.2)).toBe('about 13 s left');
    expect(formatEta(150)).toBe('about 3 min left');
  });
});
