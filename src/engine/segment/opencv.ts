// The one place that loads OpenCV.js (@techstark/opencv-js, an Emscripten build of OpenCV 4.12). It is a
// 10 MB script whose WebAssembly runtime starts asynchronously, so it is required once, lazily, the first
// time something needs it (the classic segmenter, the motion engine's inpainting, the doctor).
import { createRequire } from 'node:module';
import type { CV } from '@techstark/opencv-js';
import { StirError } from '../../shared/index.js';

export type OpenCv = CV;

/** What the Emscripten module looks like before its runtime is ready. */
interface EmscriptenModule {
  Mat?: unknown;
  then?: unknown;
  onRuntimeInitialized?: () => void;
  getBuildInformation?: () => string;
}

let loading: Promise<OpenCv> | null = null;

/** Loads OpenCV.js once; later calls get the same module. */
export function loadOpenCv(): Promise<OpenCv> {
  loading ??= startLoading().catch((caught: unknown) => {
    loading = null; // let a later call try again
    throw new StirError('INTERNAL', 'OpenCV could not be loaded.', {
      hint: 'Reinstall the dependencies (npm ci): the @techstark/opencv-js package may be damaged.',
      cause: caught,
    });
  });
  return loading;
}

/** OpenCV's version as its build information reports it ("4.12.0"). */
export async function openCvVersion(): Promise<string> {
  const cv = await loadOpenCv();
  const info = (cv as unknown as EmscriptenModule).getBuildInformation?.() ?? '';
  return /General configuration for OpenCV\s+([\d.]+)/.exec(info)?.[1] ?? 'unknown';
}

function startLoading(): Promise<OpenCv> {
  return new Promise<OpenCv>((resolve, reject) => {
    // The Emscripten runtime registers process-wide 'uncaughtException' and 'unhandledRejection' handlers
    // (the latter aborts the WebAssembly runtime). They are not ours to install in someone else's process,
    // so the ones it adds while loading are removed again.
    const before = {
      uncaughtException: new Set(process.listeners('uncaughtException')),
      unhandledRejection: new Set(process.listeners('unhandledRejection')),
    };
    let module: EmscriptenModule;
    try {
      const require = createRequire(import.meta.url);
      module = require('@techstark/opencv-js') as EmscriptenModule;
    } catch (caught) {
      reject(caught instanceof Error ? caught : new Error(String(caught)));
      return;
    } finally {
      for (const listener of process.listeners('uncaughtException')) {
        if (!before.uncaughtException.has(listener)) process.removeListener('uncaughtException', listener);
      }
      for (const listener of process.listeners('unhandledRejection')) {
        if (!before.unhandledRejection.has(listener)) process.removeListener('unhandledRejection', listener);
      }
    }
    const ready = () => {
      // The module is a "thenable" whose then() calls back with the module itself: resolving a promise
      // with it would recurse forever, so that method goes once the runtime is up.
      delete module.then;
      resolve(module as unknown as OpenCv);
    };
    if (module.Mat) {
      ready();
      return;
    }
    const previous = module.onRuntimeInitialized;
    const timer = setTimeout(() => reject(new Error('the OpenCV runtime did not start within 60 s')), 60_000);
    timer.unref();
    module.onRuntimeInitialized = () => {
      clearTimeout(timer);
      previous?.();
      ready();
    };
  });
}
