// The text clean-up CLIP applies before tokenizing (openai/CLIP simple_tokenizer.py):
//   basic_clean(text) = html.unescape(html.unescape(ftfy.fix_text(text))).strip()
//   whitespace_clean(text) = re.sub(r"\s+", " ", text).strip()
// ftfy is a large Python library; what it does to text that is already valid Unicode (all a JavaScript
// string can hold) is reproduced here: its default fixes minus the mojibake repair (which guesses at text
// that was decoded with the wrong encoding, something prompts typed into Stir never are).
import { unescapeHtml } from './html-entities.js';

export function basicClean(text: string): string {
  return unescapeHtml(unescapeHtml(fixText(text))).trim();
}

export function whitespaceClean(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** ftfy.fix_text's default steps, in its order, for text that is valid Unicode. */
export function fixText(text: string): string {
  let out = text;
  // unescape_html="auto": HTML entities are decoded unless the text looks like HTML (has a "<").
  if (!out.includes('<')) out = unescapeHtml(out, { semicolonRequired: true });
  // remove_terminal_escapes (matching the escape character is the point of this pattern)
  // eslint-disable-next-line no-control-regex
  out = out.replace(/\u001b\[[\d;]*[A-Za-z]/g, '');
  // fix_latin_ligatures
  out = out.replace(/[\ufb00-\ufb06\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3]/g, (c) =>
    c.normalize('NFKC'),
  );
  out = fixCharacterWidth(out);
  out = out.replace(/[\u02bc\u2018-\u201b]/g, "'").replace(/[\u201c-\u201f]/g, '"'); // uncurl_quotes
  out = out.replace(/\r\n|[\r\u2028\u2029\u0085]/g, '\n'); // fix_line_breaks
  // remove_control_chars: C0 controls other than tab, line feed, form feed and carriage return, DEL,
  // the deprecated formatting characters, the byte-order mark, interlinear annotation and tag characters.
  out = out.replace(
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u206a-\u206f\ufeff\ufff9-\ufffb]|[\u{e0000}-\u{e007f}]/gu,
    '',
  );
  return out.normalize('NFC');
}

/** fix_character_width: full-width ASCII and the ideographic space to ASCII, half-width kana to full width. */
function fixCharacterWidth(text: string): string {
  return text.replace(/[\u3000\uff01-\uff5e\uff61-\uffdc\uffe8-\uffee]/g, (c) => c.normalize('NFKC'));
}
