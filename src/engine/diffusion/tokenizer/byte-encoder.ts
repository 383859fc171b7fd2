// CLIP's (and GPT-2's) reversible map from the 256 byte values to printable Unicode characters, so that
// BPE can work on strings with no whitespace or control characters in them: printable Latin-1 bytes map to
// themselves, the other 68 bytes to U+0100 onwards, in byte order (openai/CLIP simple_tokenizer.py,
// bytes_to_unicode).

function buildByteEncoder(): string[] {
  const printable: number[] = [];
  const add = (from: string, to: string) => {
    for (let b = from.charCodeAt(0); b <= to.charCodeAt(0); b++) printable.push(b);
  };
  add('!', '~');
  add('\u00a1', '\u00ac');
  add('\u00ae', '\u00ff');
  const encoder: string[] = new Array<string>(256);
  for (const b of printable) encoder[b] = String.fromCharCode(b);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    if (encoder[b] === undefined) encoder[b] = String.fromCharCode(256 + next++);
  }
  return encoder;
}

/** The character each byte value stands for, index = byte. */
export const BYTE_ENCODER: readonly string[] = buildByteEncoder();

const utf8 = new TextEncoder();

/** A piece of text as its UTF-8 bytes, each written as its byte-encoder character. */
export function encodeBytes(text: string): string {
  let out = '';
  for (const b of utf8.encode(text)) out += BYTE_ENCODER[b]!;
  return out;
}
