import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StirError } from '../../../src/shared/index.js';
import { loadPack, sha256File } from '../../../src/engine/models/validate.js';
import { packDir, type FixturePack } from './fixture-packs.js';

async function refusal(promise: Promise<unknown>): Promise<StirError> {
  try {
    await promise;
  } catch (caught) {
    if (caught instanceof StirError) return caught;
    throw caught;
  }
  throw new Error('the pack was accepted');
}

const scratch = mkdtempSync(join(tmpdir(), 'stir-packs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loadPack on the tiny packs', () => {
  it.each(['fyc', 'fyc-plain', 'pia', 'probe-first-frame', 'probe-all-frames', 'sam'] as FixturePack[])(
    '%s passes every check: files, sizes, hashes and every session against its contract',
    async (id) => {
      const pack = await loadPack(packDir(id), { verifyHashes: true, checkSessions: true });
      expect(pack.manifest.id).toBe(id);
      for (const file of pack.manifest.files) expect(pack.path(file.path).startsWith(pack.dir)).toBe(true);
    },
  );

  it('reports hashing progress up to the total size', async () => {
    const seen: [number, number][] = [];
    const pack = await loadPack(packDir('sam'), {
      verifyHashes: true,
      onProgress: (d, t) => seen.push([d, t]),
    });
    const total = pack.manifest.files.reduce((s, f) => s + f.size, 0);
    expect(seen.at(-1)).toEqual([total, total]);
    expect(await sha256File(pack.path('sam/encoder.onnx'))).toBe(pack.manifest.files[0]!.sha256);
  });
});

describe('malformed packs fail with a message naming the file and what was expected', () => {
  it('a missing file', async () => {
    const error = await refusal(loadPack(packDir('bad-missing-file')));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('missing vae_decoder/model.onnx');
    expect(error.details?.missing).toEqual(['vae_decoder/model.onnx']);
  });

  it('a wrong sha256 (only when hashes are checked)', async () => {
    await expect(loadPack(packDir('bad-sha256'))).resolves.toBeDefined();
    const error = await refusal(loadPack(packDir('bad-sha256'), { verifyHashes: true }));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toMatch(
      /text_encoder\/model\.onnx has sha256 [0-9a-f]{64}, the manifest says 0{64}/,
    );
  });

  it('a wrong input name', async () => {
    const error = await refusal(loadPack(packDir('bad-input-name'), { checkSessions: true }));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain(
      'unet/model.onnx: the input "encoder_hidden_states" (text embeddings, one per video) is missing; the graph has sample, timestep, text_embeds',
    );
    expect(error.message).toContain('the graph takes an input "text_embeds"');
  });

  it('a wrong input shape', async () => {
    const error = await refusal(loadPack(packDir('bad-input-shape'), { checkSessions: true }));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain(
      'unet/model.onnx: input "sample" has shape [batch, 8, 8, latent_height, latent_width], expected [*, 9, 8, *, *]',
    );
  });

  it('a truncated ONNX file', async () => {
    const error = await refusal(loadPack(packDir('bad-truncated-onnx'), { checkSessions: true }));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('text_encoder/model.onnx cannot be loaded');
  });

  it('a path outside the pack', async () => {
    const error = await refusal(loadPack(packDir('bad-path-escape')));
    expect(error.code).toBe('PATH_ESCAPE');
    expect(error.message).toContain('"../outside.onnx"');
  });

  it('a link inside the pack that leads out of it', async () => {
    const dir = join(scratch, 'linked');
    cpSync(packDir('sam'), dir, { recursive: true });
    const outside = join(scratch, 'outside.onnx');
    cpSync(join(dir, 'sam/decoder.onnx'), outside);
    rmSync(join(dir, 'sam/decoder.onnx'));
    symlinkSync(outside, join(dir, 'sam/decoder.onnx'));
    const error = await refusal(loadPack(dir));
    expect(error.code).toBe('PATH_ESCAPE');
    expect(error.message).toContain('sam/decoder.onnx');
  });

  it('a changed size', async () => {
    const dir = join(scratch, 'resized');
    cpSync(packDir('sam'), dir, { recursive: true });
    writeFileSync(
      join(dir, 'sam/encoder.onnx'),
      Buffer.concat([readFileSync(join(dir, 'sam/encoder.onnx')), Buffer.from([0])]),
    );
    const error = await refusal(loadPack(dir));
    expect(error.message).toMatch(/sam\/encoder\.onnx is \d+ bytes, the manifest says \d+/);
  });

  it('no pack at all, or a folder without a manifest: PACK_MISSING', async () => {
    expect((await refusal(loadPack(join(scratch, 'nothing-here')))).code).toBe('PACK_MISSING');
    expect((await refusal(loadPack(scratch))).message).toContain('has no stir-pack.json');
  });

  it('a manifest that is not JSON', async () => {
    const dir = join(scratch, 'garbled');
    cpSync(packDir('sam'), dir, { recursive: true });
    writeFileSync(join(dir, 'stir-pack.json'), '{ "format": ');
    const error = await refusal(loadPack(dir));
    expect(error.code).toBe('PACK_INVALID');
    expect(error.message).toContain('is not valid JSON');
  });
});
