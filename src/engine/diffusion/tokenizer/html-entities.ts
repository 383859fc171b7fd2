// HTML character references, decoded the way Python's html.unescape does (CLIP cleans prompts with it,
// twice). Numeric references follow its rules (Windows-1252 for 0x80-0x9F, U+FFFD for invalid code
// points); named ones come from a table of the common entities (the Latin-1 set, which HTML also accepts
// without the semicolon, and typographic punctuation) rather than all 2,231 of HTML5.

const LATIN1_NAMES = [
  'nbsp',
  'iexcl',
  'cent',
  'pound',
  'curren',
  'yen',
  'brvbar',
  'sect',
  'uml',
  'copy',
  'ordf',
  'laquo',
  'not',
  'shy',
  'reg',
  'macr',
  'deg',
  'plusmn',
  'sup2',
  'sup3',
  'acute',
  'micro',
  'para',
  'middot',
  'cedil',
  'sup1',
  'ordm',
  'raquo',
  'frac14',
  'frac12',
  'frac34',
  'iquest',
  'Agrave',
  'Aacute',
  'Acirc',
  'Atilde',
  'Auml',
  'Aring',
  'AElig',
  'Ccedil',
  'Egrave',
  'Eacute',
  'Ecirc',
  'Euml',
  'Igrave',
  'Iacute',
  'Icirc',
  'Iuml',
  'ETH',
  'Ntilde',
  'Ograve',
  'Oacute',
  'Ocirc',
  'Otilde',
  'Ouml',
  'times',
  'Oslash',
  'Ugrave',
  'Uacute',
  'Ucirc',
  'Uuml',
  'Yacute',
  'THORN',
  'szlig',
  'agrave',
  'aacute',
  'acirc',
  'atilde',
  'auml',
  'aring',
  'aelig',
  'ccedil',
  'egrave',
  'eacute',
  'ecirc',
  'euml',
  'igrave',
  'iacute',
  'icirc',
  'iuml',
  'eth',
  'ntilde',
  'ograve',
  'oacute',
  'ocirc',
  'otilde',
  'ouml',
  'divide',
  'oslash',
  'ugrave',
  'uacute',
  'ucirc',
  'uuml',
  'yacute',
  'thorn',
  'yuml',
];

/** Names HTML accepts without a trailing semicolon (legacy), with their characters. */
const WITHOUT_SEMICOLON = new Map<string, string>([
  ['amp', '&'],
  ['AMP', '&'],
  ['lt', '<'],
  ['LT', '<'],
  ['gt', '>'],
  ['GT', '>'],
  ['quot', '"'],
  ['QUOT', '"'],
  ['COPY', '\u00a9'],
  ['REG', '\u00ae'],
  ...LATIN1_NAMES.map((name, i) => [name, String.fromCharCode(0xa0 + i)] as [string, string]),
]);

const WITH_SEMICOLON_ONLY = new Map<string, string>([
  ['apos', "'"],
  ['ndash', '\u2013'],
  ['mdash', '\u2014'],
  ['lsquo', '\u2018'],
  ['rsquo', '\u2019'],
  ['sbquo', '\u201a'],
  ['ldquo', '\u201c'],
  ['rdquo', '\u201d'],
  ['bdquo', '\u201e'],
  ['hellip', '\u2026'],
  ['bull', '\u2022'],
  ['trade', '\u2122'],
  ['euro', '\u20ac'],
  ['lsaquo', '\u2039'],
  ['rsaquo', '\u203a'],
  ['dagger', '\u2020'],
  ['Dagger', '\u2021'],
  ['permil', '\u2030'],
  ['prime', '\u2032'],
  ['Prime', '\u2033'],
  ['larr', '\u2190'],
  ['rarr', '\u2192'],
  ['uarr', '\u2191'],
  ['darr', '\u2193'],
  ['harr', '\u2194'],
  ['hearts', '\u2665'],
  ['ensp', '\u2002'],
  ['emsp', '\u2003'],
  ['thinsp', '\u2009'],
  ['zwnj', '\u200c'],
  ['zwj', '\u200d'],
  ['OElig', '\u0152'],
  ['oelig', '\u0153'],
  ['Scaron', '\u0160'],
  ['scaron', '\u0161'],
  ['Yuml', '\u0178'],
  ['fnof', '\u0192'],
  ['circ', '\u02c6'],
  ['tilde', '\u02dc'],
]);

/** Python's html._invalid_charrefs: C1 controls read as Windows-1252, as browsers do. */
const WINDOWS_1252: Record<number, number> = {
  0x80: 0x20ac,
  0x82: 0x201a,
  0x83: 0x0192,
  0x84: 0x201e,
  0x85: 0x2026,
  0x86: 0x2020,
  0x87: 0x2021,
  0x88: 0x02c6,
  0x89: 0x2030,
  0x8a: 0x0160,
  0x8b: 0x2039,
  0x8c: 0x0152,
  0x8e: 0x017d,
  0x91: 0x2018,
  0x92: 0x2019,
  0x93: 0x201c,
  0x94: 0x201d,
  0x95: 0x2022,
  0x96: 0x2013,
  0x97: 0x2014,
  0x98: 0x02dc,
  0x99: 0x2122,
  0x9a: 0x0161,
  0x9b: 0x203a,
  0x9c: 0x0153,
  0x9e: 0x017e,
  0x9f: 0x0178,
  0x00: 0xfffd,
  0x0d: 0x000d,
  0x81: 0x0081,
  0x8d: 0x008d,
  0x8f: 0x008f,
  0x90: 0x0090,
  0x9d: 0x009d,
};

// The same pattern as Python's html module: numeric references, or up to 32 name characters.
const CHARREF = /&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g;

// ftfy's stricter pattern: only complete references, with their semicolon.
const COMPLETE_CHARREF = /&(#?[0-9A-Za-z]{1,24};)/g;

/**
 * Python's html.unescape, with the named references of the table above; with `semicolonRequired`,
 * ftfy's unescape_html, which decodes only complete references ("&amp;", not "&amp").
 */
export function unescapeHtml(text: string, options: { semicolonRequired?: boolean } = {}): string {
  if (!text.includes('&')) return text;
  if (options.semicolonRequired) {
    return text.replace(COMPLETE_CHARREF, (match, body: string) => {
      if (body.startsWith('#')) return numeric(body);
      const name = body.slice(0, -1);
      return WITHOUT_SEMICOLON.get(name) ?? WITH_SEMICOLON_ONLY.get(name) ?? match;
    });
  }
  return text.replace(CHARREF, (match, body: string) => {
    if (body.startsWith('#')) return numeric(body);
    if (body.endsWith(';')) {
      const name = body.slice(0, -1);
      const named = WITHOUT_SEMICOLON.get(name) ?? WITH_SEMICOLON_ONLY.get(name);
      if (named !== undefined) return named;
    }
    // Legacy form: the longest prefix that is a name HTML accepts without a semicolon.
    for (let length = Math.min(body.length, 32); length > 1; length--) {
      const named = WITHOUT_SEMICOLON.get(body.slice(0, length));
      if (named !== undefined) return named + body.slice(length);
    }
    return match;
  });
}

function numeric(body: string): string {
  const digits = body.replace(/;$/, '');
  const value =
    digits[1] === 'x' || digits[1] === 'X' ? parseInt(digits.slice(2), 16) : parseInt(digits.slice(1), 10);
  const replacement = WINDOWS_1252[value];
  if (replacement !== undefined) return String.fromCharCode(replacement);
  if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return '\ufffd';
  if ((value >= 0x1 && value <= 0x8) || (value >= 0xe && value <= 0x1f) || (value >= 0x7f && value <= 0x9f)) {
    return ''; // Python drops these invalid code points
  }
  if ((value >= 0xfdd0 && value <= 0xfdef) || (value & 0xfffe) === 0xfffe || value === 0xb) return '';
  return String.fromCodePoint(value);
}
