/** Field rules of SPEC.md that are not mere enums: credit codes, phone numbers, e-mail, money. */

/** GB 32100-2015 character set: digits and capitals without I, O, Z, S, V. */
const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const CREDIT_CODE_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character (18th) that GB 32100-2015 computes from the first 17. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += CREDIT_CODE_CHARSET.indexOf(first17[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARSET[check]!;
}

export type CreditCodeVerdict = 'ok' | 'length' | 'charset' | 'check';

export function checkCreditCode(code: string): CreditCodeVerdict {
  if (code.length !== 18) return 'length';
  if (!CREDIT_CODE_SHAPE.test(code)) return 'charset';
  return creditCodeCheckCharacter(code.slice(0, 17)) === code[17] ? 'ok' : 'check';
}

const MOBILE = /^(?:\+?86[- ]?)?1[3-9]\d{9}$/;
const LANDLINE = /^(?:\(0\d{2,3}\)|0\d{2,3}-?)\d{7,8}(?:-\d{1,6})?$/;

/** A mainland mobile number (optionally +86) or a landline with its area code. */
export function isMainlandPhone(phone: string): boolean {
  const compact = phone.replace(/\s+/g, '');
  return MOBILE.test(compact) || LANDLINE.test(compact);
}

/** `+CC` and the national number, spaces or hyphens between groups: at most 15 digits (ITU-T E.164). */
const INTERNATIONAL = /^\+[1-9][\d -]{5,20}\d$/;

/** An international number in `+CC …` form, as a foreign partner's phone must be written. */
export function isInternationalPhone(phone: string): boolean {
  const t = phone.trim();
  const digits = t.replace(/\D/g, '').length;
  return INTERNATIONAL.test(t) && !/[ -]{2}/.test(t) && digits >= 7 && digits <= 15;
}

/** Mainland mobile, landline with area code, or international `+CC …`. */
export function isPhone(phone: string): boolean {
  return isMainlandPhone(phone) || isInternationalPhone(phone);
}

/** Excel's limit on the characters of one cell: longer text cannot be written back to a workbook. */
export const CELL_TEXT_LIMIT = 32_767;

/** Bidirectional-text controls (LRE…RLO, LRI…PDI, LRM/RLM/ALM): they reorder what is displayed, e.g. 「txt.exe」 shown as 「exe.txt」. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/**
 * Whether a number read from a cell can no longer be the digits someone typed: Excel keeps 15 significant digits,
 * so an 18-digit credit code typed as a number arrives as 914403001922038000.
 */
export function lostPrecision(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) >= 1e15;
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

/** Money is yuan with at most two decimals (fen), never negative. */
export function isMoney(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && Math.abs(Math.round(value * 100) - value * 100) < 1e-6;
}

/**
 * The comparison form of a partner name: trimmed, inner spaces removed, full-width
 * brackets and letters folded to half-width, so 「某某（广东）有限公司」 and 「某某(广东)有限公司 」 collide.
 */
export function normalizeName(name: string): string {
  return name
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, '')
    .toLowerCase();
}

const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * Untrusted text that a spreadsheet client could take for a formula (`= + - @`, tab, CR) gets a
 * leading apostrophe (OWASP's advice); every writer calls this, every reader calls `restoreText`.
 */
export function neutralizeFormula(text: string): string {
  return FORMULA_TRIGGER.test(text) ? `'${text}` : text;
}

/** Undoes `neutralizeFormula`, so text round-trips through a sheet unchanged. */
export function restoreText(text: string): string {
  return text.startsWith("'") && FORMULA_TRIGGER.test(text.slice(1)) ? text.slice(1) : text;
}
