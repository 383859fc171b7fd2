// Byte-pair encoding of one pre-token (openai/CLIP simple_tokenizer.py, SimpleTokenizer.bpe): start from
// its characters, the last one marked as a word end ("</w>"), and repeatedly merge every occurrence of the
// adjacent pair that was learnt earliest (lowest rank), until no adjacent pair is a known merge.

/** Merge ranks keyed by the two parts joined with a space (parts never contain one). */
export type MergeRanks = ReadonlyMap<string, number>;

export const WORD_END = '</w>';

export function bytePairEncode(token: string, ranks: MergeRanks): string[] {
  const chars = Array.from(token);
  if (chars.length === 0) return [];
  let word = chars.slice(0, -1).concat(chars[chars.length - 1]! + WORD_END);
  while (word.length > 1) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < word.length - 1; i++) {
      const rank = ranks.get(word[i]! + ' ' + word[i + 1]!);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best < 0) break;
    const first = word[best]!;
    const second = word[best + 1]!;
    const merged: string[] = [];
    for (let i = 0; i < word.length;) {
      if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
        merged.push(first + second);
        i += 2;
      } else {
        merged.push(word[i]!);
        i += 1;
      }
    }
    word = merged;
  }
  return word;
}
