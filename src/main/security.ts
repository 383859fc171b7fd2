// The shell's security checks, in one place (Electron's security checklist): which page counts as ours,
// which IPC sender is the editor, what may open in the person's browser, and the permission handlers that
// deny everything (the editor needs no camera, microphone, notifications, location or the like).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Session, WebContents, WebFrameMain } from 'electron';

/**
 * Whether a URL is the editor's own page: in development the exact origin of the dev server
 * (http://localhost:51730 is not http://localhost:5173), packaged the exact index.html file (not any file://).
 */
export function createAppPageCheck(page: {
  devUrl: string | null;
  indexFile: string;
}): (url: string) => boolean {
  const devOrigin = page.devUrl === null ? null : new URL(page.devUrl).origin;
  const indexFile = resolve(page.indexFile);
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (devOrigin !== null) return parsed.origin === devOrigin;
    if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
    parsed.search = '';
    parsed.hash = '';
    return resolve(fileURLToPath(parsed)) === indexFile;
  };
}

/** The parts of an IPC event the sender check reads. */
export interface IpcSender {
  sender: WebContents;
  senderFrame: WebFrameMain | null;
}

/** Only the editor window's main frame, showing our page, may call (VS Code's validatedIpcMain does the same). */
export function isEditorMainFrame(
  event: IpcSender,
  window: { webContents: WebContents } | null,
  isAppPage: (url: string) => boolean,
): boolean {
  if (!window || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  return frame !== null && frame === window.webContents.mainFrame && isAppPage(frame.url);
}

/** The person's browser opens https links only: no file:, smb:, custom schemes or plain http. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.hostname !== '' &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/** Denies every permission request and check: the editor uses none. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
