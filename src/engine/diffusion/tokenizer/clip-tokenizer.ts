// CLIP's byte-level BPE tokenizer (openai/CLIP simple_tokenizer.py), the one Stable Diffusion 1.5's text
// encoder was trained with (issue 4, point 4), read from the files model packs ship in Hugging Face's
// layout: tokenizer/vocab.json (token -> id) and tokenizer/merges.txt (one merge per line, by rank).
//
//   text -> basic_clean (ftfy, HTML entities), whitespace_clean, lower case
//        -> pre-tokens by CLIP's pattern (words, single digits, runs of other symbols, 's 't 're ...)
//        -> each pre-token's UTF-8 bytes as byte-encoder characters -> BPE -> vocabulary ids
//        -> <|startoftext|> ids <|endoftext|>
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { StirError } from '../../../shared/index.js';
import { bytePairEncode, type MergeRanks } from './bpe.js';
import { encodeBytes } from './byte-encoder.js';
import { basicClean, whitespaceClean } from './text-cleaning.js';

export const START_OF_TEXT = '<|startoftext|>';
export const END_OF_TEXT = '<|endoftext|>';

/** CLIP's pre-tokenizer pattern (re.IGNORECASE in the original; the text is lower-cased first anyway). */
const PRE_TOKEN =
  /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

/** Pre-tokens whose ids are kept; prompts repeat words, so this stays far below it in practice. */
const CACHE_LIMIT = 20_000;

export class ClipTokenizer {
  readonly startId: number;
  readonly endId: number;
  readonly #vocab: ReadonlyMap<string, number>;
  readonly #ranks: MergeRanks;
  readonly #cache = new Map<string, readonly number[]>();

  constructor(vocab: ReadonlyMap<string, number>, ranks: MergeRanks) {
    this.#vocab = vocab;
    this.#ranks = ranks;
    const start = vocab.get(START_OF_TEXT);
    const end = vocab.get(END_OF_TEXT);
    if (start === undefined || end === undefined) {
      throw new StirError(
        'PACK_INVALID',
        `The tokenizer vocabulary lacks ${START_OF_TEXT} or ${END_OF_TEXT}.`,
      );
    }
    this.startId = start;
    this.endId = end;
    // The special tokens are their own encoding (simple_tokenizer.py seeds its cache with them).
    this.#cache.set(START_OF_TEXT, [start]);
    this.#cache.set(END_OF_TEXT, [end]);
  }

  static async fromFiles(vocabJsonPath: string, mergesTxtPath: string): Promise<ClipTokenizer> {
    const [vocabText, mergesText] = await Promise.all([
      readTokenizerFile(vocabJsonPath),
      readTokenizerFile(mergesTxtPath),
    ]);
    return new ClipTokenizer(parseVocab(vocabText, vocabJsonPath), parseMerges(mergesText, mergesTxtPath));
  }

  /** Pre-tokens whose encodings are cached. */
  get cacheSize(): number {
    return this.#cache.size;
  }

  /** All ids, <|startoftext|> first and <|endoftext|> last, not truncated. */
  encode(text: string): number[] {
    const cleaned = whitespaceClean(basicClean(text)).toLowerCase();
    const ids = [this.startId];
    for (const match of cleaned.matchAll(PRE_TOKEN)) ids.push(...this.#encodePreToken(match[0]));
    ids.push(this.endId);
    return ids;
  }

  /**
   * Ids as Stable Diffusion 1.5 feeds its text encoder: truncated to `maxLength` keeping <|endoftext|> as
   * the last id, and padded with <|endoftext|> (its tokenizer's pad token) up to `maxLength`.
   */
  encodeForModel(text: string, maxLength = 77): Int32Array {
    if (!Number.isInteger(maxLength) || maxLength < 2) {
      throw new StirError(
        'BAD_REQUEST',
        `A text encoder length of ${maxLength} cannot hold the start and end tokens.`,
      );
    }
    const ids = this.encode(text);
    const out = new Int32Array(maxLength).fill(this.endId);
    const kept = Math.min(ids.length - 1, maxLength - 1); // every id but the end one, as far as they fit
    for (let i = 0; i < kept; i++) out[i] = ids[i]!;
    out[kept] = this.endId;
    return out;
  }

  #encodePreToken(preToken: string): readonly number[] {
    const cached = this.#cache.get(preToken);
    if (cached) return cached;
    const ids = bytePairEncode(encodeBytes(preToken), this.#ranks).map((piece) => {
      const id = this.#vocab.get(piece);
      if (id === undefined) {
        throw new StirError('PACK_INVALID', `The tokenizer vocabulary has no entry for "${piece}".`, {
          hint: 'vocab.json and merges.txt must come from the same tokenizer.',
        });
      }
      return id;
    });
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(preToken, ids);
    return ids;
  }
}

async function readTokenizerFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (caught) {
    throw new StirError('PACK_INVALID', `The tokenizer file ${basename(path)} cannot be read.`, {
      details: { path },
      cause: caught,
    });
  }
}

function parseVocab(text: string, path: string): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (caught) {
    throw new StirError('PACK_INVALID', `${basename(path)} is not valid JSON.`, {
      details: { path },
      cause: caught,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StirError('PACK_INVALID', `${basename(path)} should map tokens to ids.`, { details: { path } });
  }
  const vocab = new Map<string, number>();
  for (const [token, id] of Object.entries(parsed)) {
    if (!Number.isInteger(id)) {
      throw new StirError(
        'PACK_INVALID',
        `${basename(path)} gives "${token}" an id that is not a whole number.`,
        {
          details: { path },
        },
      );
    }
    vocab.set(token, id as number);
  }
  return vocab;
}

/** CLIP's 49,152-token BPE vocabulary less the 256 byte tokens and the 2 special ones (its merge count). */
const MAX_MERGES = 49152 - 256 - 2;

function parseMerges(text: string, path: string): Map<string, number> {
  const ranks = new Map<string, number>();
  const lines = text.split('\n');
  let rank = 0;
  for (let i = 0; i < lines.length && rank < MAX_MERGES; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '' || (i === 0 && line.startsWith('#version'))) continue;
    const parts = line.split(' ');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new StirError('PACK_INVALID', `${basename(path)} line ${i + 1} is not a merge ("a b").`, {
        details: { path, line: i + 1 },
      });
    }
    // Rank = order in the file; like the reference (a dict built from the list) a repeated pair keeps its
    // last rank, and like Hugging Face's CLIPTokenizer only the first MAX_MERGES merges are read.
    ranks.set(`${parts[0]} ${parts[1]}`, rank++);
  }
  return ranks;
}
