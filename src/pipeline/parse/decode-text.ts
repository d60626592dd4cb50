import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Text decoded from bytes, with the encoding that was used. */
export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as, in iconv-lite spelling (`utf-8`, `cp949`, ...). */
  encoding: string;
}

export interface DecodeTextOptions {
  /**
   * Encoding the container declares (an HTML `<meta charset>`, a MIME `charset`). A byte
   * order mark and bytes that are valid UTF-8 beyond ASCII still win: mislabelled pages
   * that say Latin-1 but hold UTF-8 are common, the reverse almost never decodes cleanly.
   */
  declaredEncoding?: string;
}

// Enough text to judge an encoding by; scoring the whole of a large file adds time, not
// accuracy (chardet alone takes about 20 ms per 16 KiB).
const sampleLength = 16 * 1024;

/**
 * Decodes text of unknown encoding. The order matters: byte order marks are certain,
 * strict UTF-8 validation almost is (legacy multi-byte text practically never forms valid
 * UTF-8), and only then do statistics get a say. chardet alone guesses wrong on short
 * texts, so each of its candidates (plus the encodings this product's users are most
 * likely to have: Korean, Japanese and Western Windows code pages) is decoded and scored
 * on how plausible the result reads in that encoding's script.
 */
export function decodeText(bytes: Uint8Array, options: DecodeTextOptions = {}): DecodedText {
  if (bytes.length === 0) return { text: '', encoding: 'utf-8' };

  const byteOrderMarkEncoding = encodingFromByteOrderMark(bytes);
  if (byteOrderMarkEncoding !== undefined) {
    return { text: decodeWith(bytes.subarray(byteOrderMarkEncoding.length), byteOrderMarkEncoding.encoding), encoding: byteOrderMarkEncoding.encoding };
  }

  const utf16Encoding = guessUtf16WithoutByteOrderMark(bytes);
  if (utf16Encoding !== undefined) return { text: decodeWith(bytes, utf16Encoding), encoding: utf16Encoding };

  if (isSevenBitIso2022Japanese(bytes)) {
    return { text: new TextDecoder('iso-2022-jp').decode(bytes), encoding: 'iso-2022-jp' };
  }
  const utf8Text = decodeStrictUtf8(bytes);
  const declared = normaliseEncodingName(options.declaredEncoding);
  if (utf8Text !== undefined && (declared === undefined || declared === 'utf-8' || !isAscii(bytes))) {
    return { text: utf8Text, encoding: 'utf-8' };
  }
  if (declared !== undefined && declared !== 'utf-8' && isDecodable(declared)) {
    return { text: decodeWith(bytes, declared), encoding: declared };
  }
  const encoding = detectLegacyEncoding(bytes);
  return { text: decodeWith(bytes, encoding), encoding };
}

/**
 * Picks the most plausible legacy encoding for bytes that are not valid UTF-8. Exported
 * for tests and for callers that only need the name.
 */
export function detectLegacyEncoding(bytes: Uint8Array): string {
  const sample = sampleAtLineBoundary(bytes);
  const confidences = new Map<string, number>();
  for (const match of chardet.analyse(sample)) {
    const encoding = normaliseEncodingName(match.name);
    if (encoding === undefined || encoding.startsWith('utf-') || !isDecodable(encoding)) continue;
    confidences.set(encoding, Math.max(confidences.get(encoding) ?? 0, match.confidence));
  }
  for (const fallback of ['cp949', 'shift_jis', 'windows-1252']) {
    if (!confidences.has(fallback)) confidences.set(fallback, 0);
  }

  const assessments = [...confidences].map(([encoding, confidence]) => ({
    encoding,
    confidence,
    ...assess(decodeWith(sample, encoding), encoding),
  }));

  // Western text almost never forms a clean run of valid double-byte sequences (an
  // accented letter followed by a space is already invalid), so a multi-byte reading
  // without undecodable bytes that reads as its script wins over any single-byte one.
  // Between multi-byte readings chardet's frequency statistics break near-ties: Korean
  // read as GB18030 yields real (if odd) Chinese characters.
  const cleanMultiByte = assessments.filter(
    (assessment) => familyOf(assessment.encoding) !== 'single-byte' && assessment.replacements === 0 && assessment.multiByteCharacters > 0 && assessment.plausibility >= 0.75,
  );
  const pool = cleanMultiByte.length > 0 ? cleanMultiByte : assessments;
  const confidenceWeight = cleanMultiByte.length > 0 ? 0.3 : 0.05;
  let best = { encoding: 'windows-1252', score: Number.NEGATIVE_INFINITY };
  for (const assessment of pool) {
    const score = assessment.plausibility + (confidenceWeight * assessment.confidence) / 100 + familyPrior[familyOf(assessment.encoding)];
    if (score > best.score) best = { encoding: assessment.encoding, score };
  }
  return best.encoding;
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

function encodingFromByteOrderMark(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  const [first, second, third] = bytes;
  if (first === 0xef && second === 0xbb && third === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (first === 0xff && second === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (first === 0xfe && second === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/**
 * UTF-16 without a byte order mark: mostly-Latin text then has a zero byte in every other
 * position, on the odd side for little endian and the even side for big endian.
 */
function guessUtf16WithoutByteOrderMark(bytes: Uint8Array): string | undefined {
  const length = Math.min(bytes.length, 4096) & ~1;
  if (length < 4) return undefined;
  let zerosAtEven = 0;
  let zerosAtOdd = 0;
  for (let index = 0; index < length; index += 2) {
    if (bytes[index] === 0) zerosAtEven += 1;
    if (bytes[index + 1] === 0) zerosAtOdd += 1;
  }
  const pairs = length / 2;
  if (zerosAtOdd > pairs * 0.4 && zerosAtEven < pairs * 0.02) return 'utf-16le';
  if (zerosAtEven > pairs * 0.4 && zerosAtOdd < pairs * 0.02) return 'utf-16be';
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes bytes that are entirely valid UTF-8, or returns undefined. A multi-byte
 * character cut off at the very end (a file truncated in transfer) is dropped, provided
 * the rest holds multi-byte characters too: a lone accented letter at the end of
 * otherwise plain ASCII ("Café" in Windows-1252) is legacy text, not truncated UTF-8.
 */
function decodeStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const end = endOfCompleteUtf8(bytes);
    if (end === bytes.length || end < bytes.length - 3) return undefined;
    const complete = bytes.subarray(0, end);
    if (isAscii(complete)) return undefined;
    try {
      return strictUtf8.decode(complete);
    } catch {
      return undefined;
    }
  }
}

function endOfCompleteUtf8(bytes: Uint8Array): number {
  for (let index = bytes.length - 1; index >= Math.max(0, bytes.length - 4); index -= 1) {
    const byte = bytes[index] ?? 0;
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return bytes.length - index >= needed ? bytes.length : index;
    }
  }
  return bytes.length;
}

function isAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return false;
  return true;
}

/** ISO-2022-JP is pure 7-bit, so it passes UTF-8 validation; its escape sequences give it away. */
function isSevenBitIso2022Japanese(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, sampleLength)).toString('latin1');
  return /\x1b\$[@B]/.test(text) && isAscii(bytes);
}

function sampleAtLineBoundary(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= sampleLength) return bytes;
  // A line feed is never the second byte of a character in these encodings, so cutting
  // just after one cannot split a character.
  const lastLineFeed = bytes.lastIndexOf(0x0a, sampleLength);
  return bytes.subarray(0, lastLineFeed > sampleLength / 2 ? lastLineFeed + 1 : sampleLength);
}

const encodingAliases: Record<string, string> = {
  // Windows (and WHATWG) treat these labels as their supersets; decoding with the
  // superset loses nothing and rescues the extra characters real files contain.
  'euc-kr': 'cp949',
  'ks_c_5601-1987': 'cp949',
  'ks_c_5601': 'cp949',
  'uhc': 'cp949',
  'windows-949': 'cp949',
  'shift_jis': 'shift_jis',
  'shift-jis': 'shift_jis',
  'sjis': 'shift_jis',
  'ms_kanji': 'shift_jis',
  'x-sjis': 'shift_jis',
  'windows-31j': 'shift_jis',
  'cp932': 'shift_jis',
  'iso-8859-1': 'windows-1252',
  'latin1': 'windows-1252',
  'us-ascii': 'windows-1252',
  'ascii': 'windows-1252',
  'iso-8859-9': 'windows-1254',
  'gb2312': 'gb18030',
  'gbk': 'gb18030',
  'x-gbk': 'gb18030',
  'utf8': 'utf-8',
};

/** Maps an encoding label from chardet, HTML or MIME to the name this module decodes with. */
export function normaliseEncodingName(name: string | undefined | null): string | undefined {
  if (name === undefined || name === null) return undefined;
  const label = name.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (label === '') return undefined;
  return encodingAliases[label] ?? label;
}

function isDecodable(encoding: string): boolean {
  return encoding === 'utf-8' || iconv.encodingExists(encoding);
}

type Family = 'korean' | 'japanese' | 'chinese' | 'single-byte';

/**
 * EUC-KR, EUC-JP, GB2312 and Big5 share one byte layout, so a few characters of one read
 * as a few everyday characters of another and only frequency statistics (chardet, weak
 * on short texts) tell them apart. This product's users are foremost Korean, then
 * Japanese, so near-ties go that way.
 */
const familyPrior: Record<Family, number> = { korean: 0.06, japanese: 0.03, chinese: 0, 'single-byte': 0 };

function familyOf(encoding: string): Family {
  if (encoding === 'cp949' || encoding === 'euc-kr' || encoding === 'iso-2022-kr') return 'korean';
  if (encoding === 'shift_jis' || encoding === 'euc-jp' || encoding === 'iso-2022-jp') return 'japanese';
  if (encoding === 'gb18030' || encoding === 'big5' || encoding === 'big5-hkscs' || encoding === 'cp950' || encoding === 'cp936') return 'chinese';
  return 'single-byte';
}

const hangul = /\p{Script=Hangul}/u;
const hangulSyllables = /[\uAC00-\uD7A3]/;
const bopomofo = /\p{Script=Bopomofo}/u;
const han = /\p{Script=Han}/u;
const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const halfwidthKatakana = /[\uFF61-\uFF9F]/;
const cjkPunctuationOrFullwidth = /[\u3000-\u303F\uFF01-\uFF60\uFFE0-\uFFE6]/;
const typographicPunctuation = /[\u00A0\u00AB\u00BB\u00A3\u00A9\u00AE\u00B0\u00A7\u00B7\u00BF\u00A1\u00D7\u00F7\u00B5\u2010-\u2027\u2030-\u205E\u20AC\u2122\u2116]/;
const symbolsInCjkCharacterSets = /[\u2190-\u21FF\u2200-\u22FF\u2460-\u24FF\u2500-\u257F\u25A0-\u25FF\u2600-\u26FF\u3200-\u33FF]/;

/**
 * Every East Asian character set has a tier of everyday characters (Korean: KS X 1001's
 * 2,350 syllables; Japanese: JIS level 1 kanji; Chinese: GB2312 level 1, Big5's frequent
 * block) and rarer tiers after it. Bytes of one language misread as another mostly land
 * in the rare tiers: Japanese read as CP949 becomes unusual syllables from CP949's
 * extension, Shift-JIS read as GBK lands in GBK's extension. Re-encoding a character
 * gives its position and so its tier: 1 for everyday, less for rarer.
 */
const characterTierCache = new Map<string, number>();
function characterTier(character: string, encoding: string): number {
  const key = `${encoding}:${character}`;
  let tier = characterTierCache.get(key);
  if (tier === undefined) {
    tier = computeCharacterTier(iconv.encode(character, encoding), encoding);
    characterTierCache.set(key, tier);
  }
  return tier;
}

function computeCharacterTier(encoded: Buffer, encoding: string): number {
  if (encoded.length !== 2) return 0.3;
  const lead = encoded[0] ?? 0;
  const trail = encoded[1] ?? 0;
  const code = (lead << 8) | trail;
  switch (familyOf(encoding)) {
    case 'korean':
      // KS X 1001 puts Hangul on lead bytes 0xB0-0xC8 and Hanja on 0xCA-0xFD.
      if (lead >= 0xb0 && lead <= 0xc8 && trail >= 0xa1) return 1;
      if (lead >= 0xca && lead <= 0xfd && trail >= 0xa1) return 0.5;
      return 0.2;
    case 'japanese':
      if (encoding === 'euc-jp') return lead >= 0xb0 && lead <= 0xcf ? 1 : lead <= 0xf4 ? 0.7 : 0.3;
      if (code >= 0x889f && code <= 0x9872) return 1;
      if ((code >= 0x989f && code <= 0x9ffc) || (code >= 0xe040 && code <= 0xeaa4)) return 0.7;
      return 0.3;
    case 'chinese':
      if (encoding.startsWith('big5') || encoding === 'cp950') {
        if (code >= 0xa440 && code <= 0xc67e) return 1;
        if (code >= 0xc940 && code <= 0xf9d5) return 0.7;
        return 0.3;
      }
      if (lead >= 0xb0 && lead <= 0xd7 && trail >= 0xa1) return 1;
      if (lead >= 0xd8 && lead <= 0xf7 && trail >= 0xa1) return 0.7;
      return 0.3;
    case 'single-byte':
      return 0.3;
  }
}

interface Assessment {
  /** About 0 (gibberish) to 1: how well the non-ASCII characters fit the encoding's scripts. */
  plausibility: number;
  /** Bytes that did not decode (U+FFFD). */
  replacements: number;
  /** Characters outside ASCII, the ones a double-byte encoding spends two bytes on. */
  multiByteCharacters: number;
}

/**
 * How plausible text decoded with `encoding` reads: the weighted share of its non-ASCII
 * characters that belong to the scripts and punctuation that encoding is used for, minus
 * a heavy penalty for undecodable bytes.
 */
function assess(text: string, encoding: string): Assessment {
  const family = familyOf(encoding);
  let nonAscii = 0;
  let weight = 0;
  let replacements = 0;
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x80) continue;
    nonAscii += 1;
    if (code === 0xfffd) {
      replacements += 1;
      continue;
    }
    if (family !== 'single-byte') weight += multiByteWeight(character, family, encoding);
  }
  if (nonAscii === 0) return { plausibility: 1, replacements: 0, multiByteCharacters: 0 };
  const replacementPenalty = (replacements / nonAscii) * 5;
  const matching = family === 'single-byte' ? singleByteWeight(text, nonAscii - replacements) : weight;
  return { plausibility: matching / nonAscii - replacementPenalty, replacements, multiByteCharacters: nonAscii - replacements };
}

function multiByteWeight(character: string, family: Exclude<Family, 'single-byte'>, encoding: string): number {
  if (cjkPunctuationOrFullwidth.test(character)) return 0.9;
  if (typographicPunctuation.test(character) || symbolsInCjkCharacterSets.test(character)) return 0.6;
  switch (family) {
    case 'korean':
      if (hangulSyllables.test(character)) return characterTier(character, encoding);
      if (hangul.test(character)) return 0.6;
      if (han.test(character)) return characterTier(character, encoding) * 0.8;
      if (kana.test(character)) return 0.3;
      return 0;
    case 'japanese':
      // Half-width katakana still fill legacy Japanese exports (bank and payroll files).
      if (halfwidthKatakana.test(character)) return 0.7;
      if (kana.test(character)) return 1;
      if (han.test(character)) return characterTier(character, encoding);
      return 0;
    case 'chinese':
      if (han.test(character)) return characterTier(character, encoding);
      if (kana.test(character) || bopomofo.test(character)) return 0.3;
      return 0;
  }
}

const letterOrMark = /[\p{L}\p{M}]/u;
const wordInternalMarks = /[\u00B7\u2010\u2011\u2019]/;

/**
 * Single-byte encodings decode any byte to something, so the test is whether the words
 * look like words: each word in one script, and Latin words mostly ASCII letters with the
 * odd accent (French has a few per cent accented letters; Korean read as Windows-1252
 * turns every syllable into two accented letters or symbols).
 */
function singleByteWeight(text: string, nonAsciiCount: number): number {
  let weight = 0;
  for (const word of text.match(/[\p{L}\p{M}]*[^\u0000-\u007F\P{L}][\p{L}\p{M}]*/gu) ?? []) {
    let nonAsciiLetters = 0;
    let letters = 0;
    const scripts = new Set<string>();
    for (const character of word) {
      letters += 1;
      const ascii = (character.codePointAt(0) ?? 0) < 0x80;
      if (!ascii) nonAsciiLetters += 1;
      scripts.add(ascii ? 'latin' : scriptOf(character));
    }
    const coherent = scripts.size === 1 && (!scripts.has('latin') || letters === 1 || nonAsciiLetters / letters <= 0.67);
    weight += coherent ? nonAsciiLetters : nonAsciiLetters * 0.1;
  }
  // A symbol wedged between two letters ("Za¿ó³æ" is Polish read as Windows-1252) is a
  // letter of another code page, unless it is one of the marks that do sit inside words.
  const characters = [...text];
  characters.forEach((character, index) => {
    if ((character.codePointAt(0) ?? 0) < 0x80 || letterOrMark.test(character)) return;
    const insideWord = letterOrMark.test(characters[index - 1] ?? ' ') && letterOrMark.test(characters[index + 1] ?? ' ');
    if (insideWord) weight += wordInternalMarks.test(character) ? 1 : 0;
    else weight += typographicPunctuation.test(character) ? 1 : 0.2;
  });
  return Math.min(weight, nonAsciiCount);
}

function scriptOf(character: string): string {
  if (/\p{Script=Latin}/u.test(character)) return 'latin';
  if (/\p{Script=Cyrillic}/u.test(character)) return 'cyrillic';
  if (/\p{Script=Greek}/u.test(character)) return 'greek';
  if (/\p{Script=Arabic}/u.test(character)) return 'arabic';
  if (/\p{Script=Hebrew}/u.test(character)) return 'hebrew';
  if (/\p{Script=Thai}/u.test(character)) return 'thai';
  if (/\p{M}/u.test(character)) return 'latin';
  return 'other';
}
