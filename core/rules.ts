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
