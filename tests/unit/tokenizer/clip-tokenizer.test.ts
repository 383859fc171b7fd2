// The CLIP tokenizer against the reference ids of openai/CLIP's simple_tokenizer, and SD 1.5's
// truncation and padding.
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClipTokenizer } from '../../../src/engine/diffusion/tokenizer/clip-tokenizer.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/clip/', import.meta.url));
const VOCAB = join(FIXTURES, 'vocab.json');
const MERGES = join(FIXTURES, 'merges.txt');
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference-ids.json'), 'utf8')) as {
  cases: { text: string; ids: number[] }[];
};
const START = 49406;
const END = 49407;

let tokenizer: ClipTokenizer;
beforeAll(async () => {
  tokenizer = await ClipTokenizer.fromFiles(VOCAB, MERGES);
});

describe('ClipTokenizer.encode', () => {
  it('has the reference cases to check (a broken fixture must not pass silently)', () => {
    expect(reference.cases.length).toBeGreaterThanOrEqual(27);
  });

  it.each(reference.cases.map((c) => [c.text, c.ids] as const))(
    'gives the reference ids for %j',
    (text, ids) => {
      expect(tokenizer.encode(text)).toEqual(ids);
    },
  );

  it('cleans text as CLIP does: HTML entities, curly quotes, full-width letters, runs of whitespace', () => {
    expect(tokenizer.encode('rock&#8217;n&rsquo;roll')).toEqual(tokenizer.encode("rock'n'roll"));
    expect(tokenizer.encode('HTML &amp;amp; entities')).toEqual(tokenizer.encode('HTML & entities'));
    expect(tokenizer.encode('\uff33\uff54\uff4f\uff52\uff4d')).toEqual(tokenizer.encode('Storm'));
    expect(tokenizer.encode('shake\t\n  body ')).toEqual(tokenizer.encode('shake body'));
    // NFC: "e" + combining acute is the same text as the precomposed "é".
    expect(tokenizer.encode('Cafe\u0301 cre\u0300me')).toEqual(tokenizer.encode('Caf\u00e9 cr\u00e8me'));
  });
});

describe('ClipTokenizer.encodeForModel', () => {
  const long = reference.cases.find((c) => c.ids.length > 77)!;
  const short = reference.cases.find((c) => c.text === 'shake body')!;

  it('truncates to 77 ids keeping <|endoftext|> last, as SD 1.5 does', () => {
    expect(long.ids.length).toBeGreaterThan(77);
    const ids = tokenizer.encodeForModel(long.text);
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids.length).toBe(77);
    expect(Array.from(ids.subarray(0, 76))).toEqual(long.ids.slice(0, 76));
    expect(ids[76]).toBe(END);
  });

  it('pads with <|endoftext|> up to 77', () => {
    const ids = tokenizer.encodeForModel(short.text);
    expect(ids.length).toBe(77);
    expect(Array.from(ids.subarray(0, short.ids.length))).toEqual(short.ids);
    expect(Array.from(ids.subarray(short.ids.length)).every((id) => id === END)).toBe(true);
  });

  it('gives the start and end tokens alone for an empty prompt, then padding', () => {
    const ids = tokenizer.encodeForModel('');
    expect(ids[0]).toBe(START);
    expect(Array.from(ids.subarray(1)).every((id) => id === END)).toBe(true);
  });

  it('takes another length, and an exact fit is left as it is', () => {
    expect(Array.from(tokenizer.encodeForModel(short.text, 4))).toEqual(short.ids);
    expect(Array.from(tokenizer.encodeForModel(short.text, 3))).toEqual([START, short.ids[1], END]);
    expect(() => tokenizer.encodeForModel(short.text, 1)).toThrow(/cannot hold/);
  });
});

describe('ClipTokenizer caching and files', () => {
  it('caches the encoding of each word: repeated words add nothing, and the ids stay the same', async () => {
    const fresh = await ClipTokenizer.fromFiles(VOCAB, MERGES);
    const before = fresh.cacheSize;
    const first = fresh.encode('waves crash against the rocks');
    const grown = fresh.cacheSize;
    expect(grown).toBe(before + 5);
    expect(fresh.encode('the rocks, the waves')).toEqual([
      START,
      518,
      ...first.slice(5, 6),
      267,
      518,
      ...first.slice(1, 2),
      END,
    ]);
    expect(fresh.cacheSize).toBe(grown + 1); // only "," is new
    expect(fresh.encode('waves crash against the rocks')).toEqual(first);
  });

  it('refuses a missing file with a message that names it', async () => {
    await expect(ClipTokenizer.fromFiles(join(FIXTURES, 'no-such-vocab.json'), MERGES)).rejects.toMatchObject(
      {
        code: 'PACK_INVALID',
        message: expect.stringContaining('no-such-vocab.json'),
      },
    );
  });

  it('refuses a merges file with a line that is not a merge, naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stir-clip-'));
    const broken = join(dir, 'merges.txt');
    await writeFile(broken, '#version: 0.2\ni n\nt h e\n');
    await expect(ClipTokenizer.fromFiles(VOCAB, broken)).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringContaining('line 3'),
    });
  });
});
