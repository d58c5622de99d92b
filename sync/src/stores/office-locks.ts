/**
 * Notices that a person has the registry open in Excel, WPS or LibreOffice, by the owner files those programs keep
 * beside it (and on Windows by a refused exclusive open), so coop never writes a file that their next save overwrites.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CoopError } from '../../../core/errors.js';
import { STORE_TEXT as T } from './text.js';

/** A lock file untouched this long most likely outlived its program (a crash, a power cut, a laptop lid closed). */
export const STALE_LOCK_HOURS = 12;

export interface OfficeLock {
  /** The lock file beside the registry. */
  path: string;
  program: 'Excel/WPS' | 'LibreOffice' | 'WPS';
  /** Who has it open, as the lock file says; empty when it does not say. */
  owner: string;
  since: Date;
  stale: boolean;
}

/** The owner-file names each program uses for `name`; Excel and WPS on Windows share `~$`. */
function candidates(path: string): { path: string; program: OfficeLock['program'] }[] {
  const dir = dirname(path);
  const name = basename(path);
  return [
    { path: join(dir, `~$${name}`), program: 'Excel/WPS' },
    // Word-style truncation, which some Office versions also apply to long workbook names.
    ...(name.length > 8 ? [{ path: join(dir, `~$${name.slice(2)}`), program: 'Excel/WPS' as const }] : []),
    { path: join(dir, `.~lock.${name}#`), program: 'LibreOffice' },
    { path: join(dir, `.~${name}`), program: 'WPS' },
  ];
}

/**
 * The user name in an Office owner file: a length byte and the name in the ANSI code page, padded to byte 54 (Word)
 * or 55 (Excel), then a 16-bit length and the name again in UTF-16LE, which is the copy we trust.
 */
export function msoOwner(bytes: Buffer): string {
  if (bytes.length < 162) return '';
  const ansiLength = bytes[0]!;
  if (ansiLength < 1 || ansiLength > 52) return '';
  let at = 54;
  let length = bytes[at]!;
  if (length === 0x20 && (bytes[at - 1] !== 0 || bytes[at - 2] !== 0)) length = bytes[++at]!;
  if (length < 1 || length > 52 || at + 2 + length * 2 > bytes.length)
    return bytes
      .subarray(1, 1 + ansiLength)
      .toString('latin1')
      .trim();
  return bytes
    .subarray(at + 2, at + 2 + length * 2)
    .toString('utf16le')
    .trim();
}

/** LibreOffice's lock file is one CSV record: name, system user, host, time, profile URL; commas inside are backslash-escaped. */
export function libreOfficeOwner(text: string): { owner: string; host: string } {
  const fields: string[] = [];
  let field = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) field += text[++i];
    else if (ch === ',' || ch === ';') {
      fields.push(field);
      field = '';
      if (ch === ';') break;
    } else field += ch;
  }
  const [name = '', user = '', host = ''] = fields.map((f) => f.trim());
  return { owner: name || user, host };
}

/** The office lock files beside `path`, if any. */
export async function findOfficeLocks(path: string, now = new Date()): Promise<OfficeLock[]> {
  const found: OfficeLock[] = [];
  for (const candidate of candidates(path)) {
    const info = await stat(candidate.path).catch(() => null);
    if (!info?.isFile()) continue;
    const bytes = await readFile(candidate.path).catch(() => Buffer.alloc(0));
    let owner = '';
    if (candidate.program === 'LibreOffice') {
      const lo = libreOfficeOwner(bytes.toString('utf8'));
      owner = lo.host ? `${lo.owner}@${lo.host}` : lo.owner;
    } else if (candidate.program === 'Excel/WPS') owner = msoOwner(bytes);
    found.push({ ...candidate, owner, since: info.mtime, stale: now.getTime() - info.mtime.getTime() > STALE_LOCK_HOURS * 3600_000 });
  }
  return found;
}

/** On Windows, Excel and WPS hold the file open without sharing: an exclusive open then fails with EBUSY or EPERM. */
async function heldOnWindows(path: string): Promise<boolean> {
  if (process.platform !== 'win32') return false;
  try {
    await (await open(path, 'r+')).close();
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EBUSY' || code === 'EPERM';
  }
}

/** Refuses, before any work, to write a file (the registry by default) that someone has open: their next save would overwrite coop's. */
export async function refuseIfOpenInOffice(path: string, what: string = T.registryWord, now = new Date()): Promise<void> {
  const locks = await findOfficeLocks(path, now);
  if (locks.length) {
    const lock = locks[0]!;
    const details = [T.lockFile(lock.path, lock.since)];
    if (lock.stale) details.push(T.staleLock(lock.path, STALE_LOCK_HOURS));
    throw new CoopError('REGISTRY_LOCKED', T.openInOffice(what, path, lock.program, lock.owner), details);
  }
  if (await heldOnWindows(path)) throw new CoopError('REGISTRY_LOCKED', T.openInOffice(what, path, 'Excel/WPS', ''), [T.heldOnWindows]);
}
