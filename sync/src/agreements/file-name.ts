/** File names for agreements that are safe on Windows, macOS and Linux: no reserved characters or device names, bounded length. */

import { stripBidiControls } from '../../../core/rules.js';

/** Characters Windows forbids in names, and control characters. */
const RESERVED = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
/** Keeps the whole path well under Windows' 260-character MAX_PATH even in a deep shared folder. */
export const MAX_BASE_LENGTH = 80;

function clean(part: string): string {
  // Bidi controls would let a name display in another order than it is (U+202E: 「协议fdp.exe」 shown as 「协议exe.pdf」).
  return stripBidiControls(part)
    .replace(/\s+/g, ' ')
    .replace(RESERVED, '')
    .trim()
    .replace(/[. ]+$/, '');
}

/**
 * `协议编号_合作单位_项目名称` from its parts: reserved characters stripped, runs of spaces
 * collapsed, trailing dots removed; the last part is shortened first when the name is too long.
 */
export function safeBaseName(parts: readonly string[], maxLength = MAX_BASE_LENGTH): string {
  const cleaned = parts.map(clean).filter(Boolean);
  if (cleaned.length === 0) cleaned.push('协议');
  const chars = (s: string) => Array.from(s);
  let base = cleaned.join('_');
  for (let i = cleaned.length - 1; chars(base).length > maxLength && i >= 0; i--) {
    const others = chars(base).length - chars(cleaned[i]!).length;
    const room = Math.max(maxLength - others, i === 0 ? maxLength : 4);
    cleaned[i] = clean(chars(cleaned[i]!).slice(0, room).join(''));
    base = cleaned.filter(Boolean).join('_');
  }
  base = chars(base)
    .slice(0, maxLength)
    .join('')
    .replace(/[. _]+$/, '');
  const stem = base.split('.')[0] ?? '';
  return DEVICE.test(stem) ? `_${base}` : base;
}
