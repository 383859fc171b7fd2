// Browser mode's gate in front of the engine: every call that names a path or a URL is checked against the
// session's file access (file-access.ts) and pack-source rules (pack-source.ts) before the engine sees it,
// and what the engine writes is remembered as Stir's own. The engine itself stays unconfined: the CLI and
// the desktop app, where the person picks files in native dialogs, use it directly.
import { extname } from 'node:path';
import {
  EXPORT_FORMAT_INFO,
  PROJECT_EXTENSION,
  StirError,
  type CallEnvelope,
  type MethodName,
} from '../shared/index.js';
import type { Dispatch } from '../shared/rpc/dispatcher.js';
import { assertMethodName, parseParams } from '../shared/rpc/validate.js';
import { mattePathFor } from '../engine/export/staged-output.js';
import type { BrowserFileAccess } from './file-access.js';
import { checkPackUrl, looksLikeUrl, type Resolve } from './pack-source.js';

export interface ConfineOptions {
  access: BrowserFileAccess;
  /** Host name lookup for pack URLs (tests give a fixed one). */
  resolveHost?: Resolve;
}

type Params = Record<string, unknown>;

export function confineDispatch(dispatch: Dispatch, options: ConfineOptions): Dispatch {
  const { access } = options;

  /** Checks a call; gives the params to send on (the original ones, or with a path resolved). */
  async function admit(method: MethodName, raw: unknown): Promise<unknown> {
    switch (method) {
      case 'openPhoto': {
        const { source } = parseParams(method, raw);
        if (source.kind === 'path') await access.checkRead(source.path, 'photos');
        return raw;
      }
      case 'openProject': {
        const { source } = parseParams(method, raw);
        if (source.kind === 'path') await access.checkRead(source.path, 'projects');
        return raw;
      }
      case 'saveProject': {
        const { path } = parseParams(method, raw);
        if (path === null) return raw;
        // The engine adds the extension when it is missing: check the file it will really write.
        const target =
          extname(path).toLowerCase() === PROJECT_EXTENSION ? path : `${path}${PROJECT_EXTENSION}`;
        return { ...(raw as Params), path: await access.checkWrite(target, 'projects') };
      }
      case 'startExport': {
        const { path, format, matte } = parseParams(method, raw);
        if (path === null) return raw;
        const target = await access.checkWrite(path, 'exports');
        // A separate matte clip is written beside the clip: the same rule holds for it.
        if (matte === 'separate')
          await access.checkWrite(mattePathFor(target, EXPORT_FORMAT_INFO[format].folder), 'exports');
        // Both are new, or Stir's own, which an export may replace.
        return { ...(raw as Params), path: target, overwrite: true };
      }
      case 'installPack': {
        const { source, typed } = parseParams(method, raw);
        if (looksLikeUrl(source)) await checkPackUrl(source, typed, options.resolveHost);
        else await access.checkRead(source, 'model packs');
        return raw;
      }
      default:
        return raw;
    }
  }

  /** Remembers what the engine wrote or opened as a project, so a later save may replace it. */
  function record(method: MethodName, params: unknown, envelope: CallEnvelope): void {
    if (!envelope.ok) return;
    const result = envelope.result as Params;
    if (method === 'saveProject' || method === 'openProject') {
      if (typeof result['path'] === 'string') access.remember(result['path']);
    } else if (method === 'startExport') {
      const { path, format } = parseParams(method, params);
      if (path === null) return;
      access.remember(path);
      access.remember(mattePathFor(path, EXPORT_FORMAT_INFO[format].folder));
    }
  }

  return async (method, raw) => {
    let name: MethodName;
    let params: unknown;
    try {
      name = assertMethodName(method);
      params = await admit(name, raw);
    } catch (caught) {
      return { ok: false, error: StirError.fromCaught(caught).toPayload() };
    }
    const envelope = await dispatch(name, params);
    record(name, params, envelope);
    return envelope;
  };
}
