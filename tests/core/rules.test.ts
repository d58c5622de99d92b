import { describe, expect, it } from 'vitest';
import {
  checkCreditCode,
  creditCodeCheckCharacter,
  isEmail,
  isMainlandPhone,
  isMoney,
  neutralizeFormula,
  normalizeName,
  restoreText,
} from '../../core/index.js';

/** Codes published on the companies' own business-licence disclosures. */
const PUBLISHED_CODES = [
  '914403001922038216', // 华为技术有限公司
  '9144030071526726XG', // 深圳市腾讯计算机系统有限公司
  '91330100716105852F', // 阿里巴巴（中国）有限公司
  '91110000802100433B', // 北京百度网讯科技有限公司
  '91440300192317458F', // 比亚迪股份有限公司
  '91110108551385082Q', // 小米科技有限责任公司
];
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it.each(PUBLISHED_CODES)('accepts the published code %s', (code) => {
    expect(checkCreditCode(code)).toBe('ok');
  });

  it('rejects every single-character corruption of every published code', () => {
    let corruptions = 0;
    for (const code of PUBLISHED_CODES) {
      for (let i = 0; i < 18; i++) {
        for (const ch of CHARSET) {
          if (ch === code[i]) continue;
          const corrupted = code.slice(0, i) + ch + code.slice(i + 1);
          // Positions 3-8 are the administrative division: digits only, so a letter there fails the shape.
          expect(checkCreditCode(corrupted), corrupted).not.toBe('ok');
          corruptions++;
        }
      }
    }
    expect(corruptions).toBe(PUBLISHED_CODES.length * 18 * 30);
  });

  it('names what is wrong: length, forbidden letters, check character', () => {
    expect(checkCreditCode('91440300192317458')).toBe('length');
    expect(checkCreditCode('91440300192317458FF')).toBe('length');
    expect(checkCreditCode('9144030019231745OF')).toBe('charset'); // O is not in the set
    expect(checkCreditCode('91440300192317458G')).toBe('check');
    expect(creditCodeCheckCharacter('91440300192317458')).toBe('F');
  });
});

describe('contact rules', () => {
  it.each(['13826612345', '+86 13826612345', '0758-2281234', '07582281234', '(0758)2281234', '010-12345678-123'])('accepts phone %s', (p) => {
    expect(isMainlandPhone(p)).toBe(true);
  });
  it.each(['12345678901', '1382661234', '2281234', '0758-22812', 'abc'])('rejects phone %s', (p) => {
    expect(isMainlandPhone(p)).toBe(false);
  });
  it('checks e-mail addresses', () => {
    expect(isEmail('liming@xinghu-cnc.example.cn')).toBe(true);
    expect(isEmail('li ming@example.cn')).toBe(false);
    expect(isEmail('liming@example')).toBe(false);
    expect(isEmail('@example.cn')).toBe(false);
  });
});

describe('money', () => {
  it('allows yuan with at most two decimals, never negative', () => {
    expect(isMoney(0)).toBe(true);
    expect(isMoney(45000.5)).toBe(true);
    expect(isMoney(0.07)).toBe(true);
    expect(isMoney(1234.56)).toBe(true);
    expect(isMoney(1.005)).toBe(false);
    expect(isMoney(-1)).toBe(false);
    expect(isMoney(Number.NaN)).toBe(false);
  });
});

describe('partner name normalisation', () => {
  it('folds full-width brackets and spaces so the same unit collides', () => {
    expect(normalizeName(' 广东鼎力（肇庆）汽车服务有限公司 ')).toBe(normalizeName('广东鼎力(肇庆)汽车服务有限公司'));
    expect(normalizeName('ＡＢＣ 公司')).toBe(normalizeName('abc公司'));
    expect(normalizeName('甲公司')).not.toBe(normalizeName('乙公司'));
  });
});

describe('formula injection', () => {
  it.each(['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])('neutralises %j and restores it', (text) => {
    const safe = neutralizeFormula(text);
    expect(safe.startsWith("'")).toBe(true);
    expect(restoreText(safe)).toBe(text);
  });
  it('leaves ordinary text alone', () => {
    expect(neutralizeFormula('肇庆星湖')).toBe('肇庆星湖');
    expect(restoreText("it's")).toBe("it's");
  });
});
