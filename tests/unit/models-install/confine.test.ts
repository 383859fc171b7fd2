import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StirError } from '../../../src/shared/index.js';
import { confinedPath, isInside, unsafePathReason } from '../../../src/engine/models/install/confine.js';

describe('path confinement', () => {
  it.each([
    ['unet/model.onnx', null],
    ['model.onnx_data', null],
    ['a/b/c.onnx', null],
    ['../model.onnx', 'it climbs out with ".."'],
    ['unet/../../x', 'it climbs out with ".."'],
    ['/etc/passwd', 'it is an absolute path'],
    ['C:/Windows/x.dll', 'it is an absolute path'],
    ['c:x', 'it is an absolute path'],
    ['unet\\..\\..\\x', 'it contains a backslash'],
    ['a//b', 'it contains an empty folder name'],
    ['', 'it is empty'],
    ['a\0b', 'it contains a NUL character'],
  ])('"%s" -> %s', (path, reason) => {
    expect(unsafePathReason(path)).toBe(reason);
  });

  it('gives the absolute path of a safe path inside the root', () => {
    expect(confinedPath('/models/pack', 'unet/model.onnx', 'the zip')).toBe(
      join('/models/pack', 'unet/model.onnx'),
    );
  });

  it('refuses an escaping path with PATH_ESCAPE naming the path and its source', () => {
    let caught: unknown;
    try {
      confinedPath('/models/pack', '../../home/me/.bashrc', 'the zip');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StirError);
    const error = caught as StirError;
    expect(error.code).toBe('PATH_ESCAPE');
    expect(error.message).toContain('"../../home/me/.bashrc"');
    expect(error.message).toMatch(/^The zip names/);
    expect(error.details).toEqual({ path: '../../home/me/.bashrc', from: 'the zip' });
  });

  it('tells inside from outside, a sibling with a common prefix included', () => {
    expect(isInside('/models', '/models/a/b')).toBe(true);
    expect(isInside('/models', '/models')).toBe(true);
    expect(isInside('/models', '/models-other/a')).toBe(false);
    expect(isInside('/models', '/')).toBe(false);
  });
});
