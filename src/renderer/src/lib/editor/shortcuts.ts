// Every keyboard shortcut of the editor, in one table: the key handler matches against it and the help
// panel lists it, so the two never disagree. Keys follow the desktop tools people know (Krita, Photoshop,
// Runway): B brush, E eraser, Space play, Ctrl+Z / Ctrl+Shift+Z, [ and ] brush size, Ctrl+0 fit.
import type { MenuCommand } from '../../../../preload/api.js';

export type CommandId =
  | MenuCommand
  | 'redo'
  | 'tool-click'
  | 'tool-box'
  | 'tool-brush'
  | 'tool-eraser'
  | 'tool-pose'
  | 'tool-hand'
  | 'tool-path'
  | 'tool-anchor'
  | 'tool-freeze'
  | 'new-region'
  | 'delete-region'
  | 'rename-region'
  | 'toggle-region-visible'
  | 'select-region-above'
  | 'select-region-below'
  | 'move-region-up'
  | 'move-region-down'
  | 'deselect'
  | 'next-selection'
  | 'previous-selection'
  | 'brush-smaller'
  | 'brush-larger'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-100'
  | 'frame-previous'
  | 'frame-next'
  | 'frame-first'
  | 'frame-last'
  | 'pose-keyframe'
  | 'show-models';

export interface Shortcut {
  command: CommandId;
  /** Combos like "Mod+Shift+Z"; Mod is Ctrl (Cmd on macOS). The first is the one shown. */
  keys: readonly string[];
  label: string;
  group: 'File' | 'Edit' | 'Tools' | 'Regions' | 'View' | 'Timeline';
  /** Also fires while typing in a text field (saving, undo of the document). */
  inFields?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'new-project', keys: ['Mod+N'], label: 'New project', group: 'File', inFields: true },
  { command: 'open-photo', keys: ['Mod+O'], label: 'Open a photo', group: 'File', inFields: true },
  { command: 'open-project', keys: ['Mod+Shift+O'], label: 'Open a project', group: 'File', inFields: true },
  { command: 'save-project', keys: ['Mod+S'], label: 'Save the project', group: 'File', inFields: true },
  {
    command: 'save-project-as',
    keys: ['Mod+Shift+S'],
    label: 'Save the project as…',
    group: 'File',
    inFields: true,
  },
  { command: 'export', keys: ['Mod+E'], label: 'Export a clip', group: 'File', inFields: true },
  { command: 'undo', keys: ['Mod+Z'], label: 'Undo', group: 'Edit' },
  { command: 'redo', keys: ['Mod+Shift+Z', 'Mod+Y'], label: 'Redo', group: 'Edit' },
  { command: 'show-shortcuts', keys: ['?', 'F1', 'Mod+/'], label: 'Show keyboard shortcuts', group: 'Edit' },
  {
    command: 'show-models',
    keys: ['Mod+Shift+M'],
    label: 'Model packs and devices',
    group: 'Edit',
    inFields: true,
  },
  { command: 'tool-click', keys: ['V'], label: 'Click tool: click to make a region', group: 'Tools' },
  { command: 'tool-box', keys: ['R'], label: 'Box tool: drag a box around an object', group: 'Tools' },
  { command: 'tool-brush', keys: ['B'], label: 'Brush: paint a region', group: 'Tools' },
  { command: 'tool-eraser', keys: ['E'], label: 'Eraser: erase from a region', group: 'Tools' },
  { command: 'tool-pose', keys: ['P'], label: 'Pose tool: drag skeleton joints', group: 'Tools' },
  { command: 'tool-hand', keys: ['H'], label: 'Hand: pan the view (or hold Space and drag)', group: 'Tools' },
  {
    command: 'tool-path',
    keys: ['L'],
    label:
      'Path: click, click, double-click a motion path for the selected region (drag its points; Alt-click deletes)',
    group: 'Tools',
  },
  {
    command: 'tool-anchor',
    keys: ['A'],
    label: 'Anchor: click to pin a point of the selected region still; click a pin to remove it',
    group: 'Tools',
  },
  {
    command: 'tool-freeze',
    keys: ['F'],
    label: 'Freeze brush: paint where the selected region holds still (Alt erases)',
    group: 'Tools',
  },
  { command: 'brush-smaller', keys: ['['], label: 'Smaller brush', group: 'Tools' },
  { command: 'brush-larger', keys: [']'], label: 'Larger brush', group: 'Tools' },
  { command: 'new-region', keys: ['N'], label: 'Next click makes a new region', group: 'Regions' },
  { command: 'deselect', keys: ['Escape'], label: 'Deselect the region', group: 'Regions' },
  {
    command: 'next-selection',
    keys: ['Tab'],
    label: "Right after a click: the segmenter's next answer for the new region",
    group: 'Regions',
  },
  {
    command: 'previous-selection',
    keys: ['Shift+Tab'],
    label: "Right after a click: the segmenter's previous answer",
    group: 'Regions',
  },
  {
    command: 'delete-region',
    keys: ['Delete', 'Backspace'],
    label: 'Delete the selected region',
    group: 'Regions',
  },
  { command: 'rename-region', keys: ['F2'], label: 'Rename the selected region', group: 'Regions' },
  {
    command: 'toggle-region-visible',
    keys: ['Shift+H'],
    label: 'Hide or show the selected region',
    group: 'Regions',
  },
  { command: 'select-region-above', keys: ['PageUp'], label: 'Select the region above', group: 'Regions' },
  { command: 'select-region-below', keys: ['PageDown'], label: 'Select the region below', group: 'Regions' },
  { command: 'move-region-up', keys: ['Mod+]'], label: 'Move the region up', group: 'Regions' },
  { command: 'move-region-down', keys: ['Mod+['], label: 'Move the region down', group: 'Regions' },
  { command: 'zoom-fit', keys: ['Mod+0'], label: 'Fit the photo to the window', group: 'View' },
  { command: 'zoom-100', keys: ['Mod+1'], label: 'Actual pixels (100%)', group: 'View' },
  { command: 'zoom-in', keys: ['+', '='], label: 'Zoom in (or the mouse wheel)', group: 'View' },
  { command: 'zoom-out', keys: ['-'], label: 'Zoom out', group: 'View' },
  { command: 'toggle-preview', keys: ['Space'], label: 'Play or pause the preview', group: 'Timeline' },
  { command: 'frame-previous', keys: ['ArrowLeft', ','], label: 'Previous frame', group: 'Timeline' },
  { command: 'frame-next', keys: ['ArrowRight', '.'], label: 'Next frame', group: 'Timeline' },
  { command: 'frame-first', keys: ['Home'], label: 'First frame', group: 'Timeline' },
  { command: 'frame-last', keys: ['End'], label: 'Last frame', group: 'Timeline' },
  { command: 'pose-keyframe', keys: ['K'], label: 'Add a pose keyframe at this frame', group: 'Timeline' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Combo {
  key: string;
  mod: boolean;
  shift: boolean;
  alt: boolean;
}

function parseCombo(combo: string): Combo {
  const parts = combo.split('+');
  // "+" itself as the key: "Mod++" or "+".
  const key = combo.endsWith('++') || combo === '+' ? '+' : (parts.at(-1) ?? '');
  const mods = new Set(parts.slice(0, combo.endsWith('++') ? -2 : -1));
  return { key: normaliseKey(key), mod: mods.has('Mod'), shift: mods.has('Shift'), alt: mods.has('Alt') };
}

function normaliseKey(key: string): string {
  if (key === 'Space' || key === ' ') return ' ';
  return key.length === 1 ? key.toLowerCase() : key;
}

/** Symbols typed with Shift on some layouts (?, +) match whatever Shift says; letters and named keys do not. */
function shiftMatters(key: string): boolean {
  return /^[a-z0-9]$/.test(key) || key.length > 1;
}

export function matches(event: KeyLike, combo: string): boolean {
  const c = parseCombo(combo);
  if (normaliseKey(event.key) !== c.key) return false;
  if ((event.ctrlKey || event.metaKey) !== c.mod) return false;
  if (event.altKey !== c.alt) return false;
  return !shiftMatters(c.key) || event.shiftKey === c.shift;
}

export function shortcutFor(event: KeyLike, inField: boolean): Shortcut | null {
  for (const shortcut of SHORTCUTS) {
    if (inField && !shortcut.inFields) continue;
    if (shortcut.keys.some((combo) => matches(event, combo))) return shortcut;
  }
  return null;
}

/** "Ctrl+Shift+Z" or "⌘⇧Z", for labels and tooltips. */
export function displayCombo(combo: string, platform: string): string {
  const mac = /mac/i.test(platform);
  const c = parseCombo(combo);
  const named: Record<string, string> = {
    ' ': 'Space',
    ArrowLeft: '←',
    ArrowRight: '→',
    PageUp: 'Page Up',
    PageDown: 'Page Down',
    Escape: 'Esc',
  };
  const key = named[c.key] ?? (c.key.length === 1 ? c.key.toUpperCase() : c.key);
  if (mac) return `${c.mod ? '⌘' : ''}${c.alt ? '⌥' : ''}${c.shift ? '⇧' : ''}${key}`;
  return [c.mod ? 'Ctrl' : null, c.alt ? 'Alt' : null, c.shift ? 'Shift' : null, key]
    .filter(Boolean)
    .join('+');
}

export function shortcutLabel(command: CommandId, platform: string): string | null {
  const combo = SHORTCUTS.find((s) => s.command === command)?.keys[0];
  return combo ? displayCombo(combo, platform) : null;
}
