import type { RedactionCount, RedactionKind } from './audit-record.js';

/**
 * Removes personal data from text before it is stored in the audit log. Each detector
 * errs towards precision: a number is removed only when its shape (and, for card and
 * resident registration numbers, its check digit or date) says it is one, so that dates,
 * amounts, versions and ids stay readable. Detectors run in a fixed order (e-mail,
 * resident registration number, card, phone) so that a number is counted once, as the
 * most specific kind.
 */

export interface Redaction {
  text: string;
  /** Kinds found, with how many of each; empty when nothing was removed. */
  found: { kind: RedactionKind; count: number }[];
}

export function placeholderFor(kind: RedactionKind): string {
  return `[redacted:${kind}]`;
}

type Detector = { pattern: RegExp; accept: (match: string) => boolean };

const detectors: Record<RedactionKind, Detector[]> = {
  email: [{ pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g, accept: () => true }],
  'resident-registration-number': [
    // 주민등록번호 (and 외국인등록번호): YYMMDD-GNNNNNN, G the century and sex digit.
    { pattern: /(?<![\d-])\d{6}\s?-\s?[1-8]\d{6}(?![\d-])/g, accept: (match) => plausibleBirthDate(match.replace(/\D/g, '')) },
    // Written without the hyphen, only with a valid check digit: thirteen digits are too common otherwise.
    { pattern: /(?<![\d-])\d{6}[1-8]\d{6}(?![\d-])/g, accept: (match) => plausibleBirthDate(match) && residentNumberCheckDigitHolds(match) },
  ],
  'card-number': [
    { pattern: /(?<![\d-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{4,5})(?![\d-])/g, accept: (match) => luhnHolds(match.replace(/\D/g, '')) },
  ],
  phone: [
    // International form: +82 10-1234-5678, +1 (415) 555-0100, +44 20 7946 0958.
    { pattern: /\+\d{1,3}[-. ]?(?:\(\d{1,4}\)[-. ]?)?\d{1,4}(?:[-. ]?\d{2,4}){1,4}(?![\d])/g, accept: (match) => digitCount(match) >= 8 && digitCount(match) <= 15 },
    // Korean domestic: mobile 010-1234-5678 / 01012345678, Seoul 02-123-4567, regions 031..064, 070 internet phones, 050x.
    { pattern: /(?<![\d.+-])(?:\(0(?:2|[3-6][1-5]|1[016789]|70)\)\s?|0(?:1[016789]|2|[3-6][1-5]|70|50[2-8])[-. ]?)\d{3,4}[-. ]?\d{4}(?![\d.-])/g, accept: () => true },
    // North American: (415) 555-0100, 415-555-0100, 415.555.0100.
    { pattern: /(?<![\d.+-])(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?![\d.-])/g, accept: () => true },
  ],
};

const detectionOrder: RedactionKind[] = ['email', 'resident-registration-number', 'card-number', 'phone'];

export function redactPersonalData(text: string, kinds: readonly RedactionKind[]): Redaction {
  const found: Redaction['found'] = [];
  let result = text;
  for (const kind of detectionOrder) {
    if (!kinds.includes(kind)) continue;
    let count = 0;
    for (const { pattern, accept } of detectors[kind]) {
      result = result.replace(pattern, (match) => {
        if (!accept(match)) return match;
        count++;
        return placeholderFor(kind);
      });
    }
    if (count > 0) found.push({ kind, count });
  }
  return { text: result, found };
}

/** Redacts several named fields of one record and lists what was removed from each. */
export function redactFields<Field extends string>(
  fields: Record<Field, string | undefined>,
  kinds: readonly RedactionKind[],
): { values: Record<Field, string | undefined>; redactions: RedactionCount[] } {
  const values = {} as Record<Field, string | undefined>;
  const redactions: RedactionCount[] = [];
  for (const field of Object.keys(fields) as Field[]) {
    const value = fields[field];
    if (value === undefined) {
      values[field] = undefined;
      continue;
    }
    const redaction = redactPersonalData(value, kinds);
    values[field] = redaction.text;
    for (const { kind, count } of redaction.found) redactions.push({ field, kind, count });
  }
  return { values, redactions };
}

function digitCount(text: string): number {
  return text.replace(/\D/g, '').length;
}

function plausibleBirthDate(digits: string): boolean {
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** The check digit issued until October 2020: 11 - (Σ digit × weight mod 11), mod 10. */
function residentNumberCheckDigitHolds(digits: string): boolean {
  const weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(digits[index]), 0);
  return (11 - (sum % 11)) % 10 === Number(digits[12]);
}

export function luhnHolds(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
