// What the preload exposes to the renderer as `window.stir` (Electron) and what browser mode provides in
// its place: a raw transport of the contract plus the few things only the desktop shell can do (native
// file dialogs, showing a file in its folder). The renderer imports only this type, never electron.
import { z } from 'zod';
import type { CallEnvelope, MethodName, RawEventListener, Unsubscribe } from '../shared/index.js';

// The shell's own payloads, checked in the main process like every `stir:call` (src/main/index.ts).
export const FileFilterSchema = z.object({
  name: z.string().min(1).max(100),
  extensions: z
    .array(z.string().regex(/^(\*|[A-Za-z0-9]{1,10})$/, 'an extension is letters and digits, or *'))
    .min(1)
    .max(20),
});
export type FileFilter = z.infer<typeof FileFilterSchema>;

export const PickOpenPathSchema = z.strictObject({
  title: z.string().max(200),
  filters: z.array(FileFilterSchema).max(10),
  folder: z.boolean().optional(),
});

export const PickSavePathSchema = z.strictObject({
  title: z.string().max(200),
  /** A file name only: the dialog starts in the Videos folder. */
  defaultName: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\\0]+$/, 'a file name, without folders')
    .refine((name) => name !== '.' && name !== '..', 'a file name, without folders'),
  filters: z.array(FileFilterSchema).max(10),
});

/** An absolute path (POSIX, a drive letter, or a UNC share), as the engine reports the files it wrote. */
export const RevealPathSchema = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)[^\0]*$/, 'an absolute path');

/** Commands from the native menu, handled by the editor like its own buttons and shortcuts. */
export const MENU_COMMANDS = [
  'new-project',
  'open-photo',
  'open-project',
  'save-project',
  'save-project-as',
  'export',
  'undo',
  'redo',
  'toggle-preview',
  'zoom-fit',
  'show-shortcuts',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface ShellApi {
  readonly kind: 'electron' | 'browser';
  readonly platform: string;
  /** A native open dialog (of a folder when `folder`); the engine reads it by path. Null when cancelled. */
  pickOpenPath(options: z.infer<typeof PickOpenPathSchema>): Promise<string | null>;
  /** A native save dialog. Null when cancelled. */
  pickSavePath(options: z.infer<typeof PickSavePathSchema>): Promise<string | null>;
  revealInFolder(path: string): Promise<void>;
  /** The file-system path of a dropped file (Electron only; browser mode reads the bytes instead). */
  pathForFile(file: File): string | null;
  /** Native menu commands (Electron); browser mode has none and returns a no-op unsubscribe. */
  onMenuCommand(listener: (command: MenuCommand) => void): Unsubscribe;
}

export interface StirBridge {
  call(method: MethodName, params: unknown): Promise<CallEnvelope>;
  subscribe(listener: RawEventListener): Unsubscribe;
  shell: ShellApi;
}

/** IPC channel names, in one place (main and preload import them; nothing else speaks IPC). */
export const IPC = {
  call: 'stir:call',
  event: 'stir:event',
  pickOpenPath: 'stir:shell:pick-open-path',
  pickSavePath: 'stir:shell:pick-save-path',
  revealInFolder: 'stir:shell:reveal-in-folder',
  menu: 'stir:menu',
} as const;
