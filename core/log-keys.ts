/**
 * Personal keys on 审批记录: a review, meeting record or signing by someone the office listed a key for in
 * 设置 counts only when its row carries that person's Ed25519 signature; rows of people with no listed key
 * count as 代录 (recorded on their behalf). Core only decides; the signature check itself is injected
 * (node:crypto in the CLI), because Apps Script has no Ed25519 — on the shared sheet Google vouches for who acted.
 */
import { signedLogText } from './log-chain.js';
import { LOG_CHAIN_TEXT as T } from './log-text.js';
import type { Problem, RawCells } from './rows.js';
import { columnOf, reviewLogSheet } from './schema.js';
import type { Settings } from './settings.js';
import { sha256Hex } from './sha256.js';

/** Checks a base64 Ed25519 signature of `text` by a base64 raw public key. */
export type SignatureVerifier = (publicKey: string, text: string, signature: string) => boolean;

let verifier: SignatureVerifier | undefined;

export function setSignatureVerifier(v: SignatureVerifier): void {
  verifier = v;
}

/** Actions that must be the listed person's own: their review, the office's meeting record and signing. */
export const SIGNED_ACTIONS: readonly string[] = ['审查通过', '撤销审查', '会议通过', '会议未通过', '签署'];

export const ON_BEHALF = '代录';
const PREFIX = 'ed25519:';

export interface ListedKey {
  key: string;
  /** Rows stamped on or after this date no longer count with this key. */
  revokedOn?: string;
}

/** A 设置 value: `ed25519:BASE64` optionally followed by ` 撤销于 YYYY-MM-DD`. */
export function parseListedKey(value: string): ListedKey | null {
  const m = /^ed25519:([A-Za-z0-9+/=]{40,})(?:\s+撤销于\s*(\d{4}-\d{2}-\d{2}))?\s*$/.exec(value.trim());
  return m ? { key: m[1]!, ...(m[2] ? { revokedOn: m[2] } : {}) } : null;
}

/** Short public identifier of a key, written in the 签名 cell beside the signature. */
export function keyId(publicKey: string): string {
  return sha256Hex(publicKey).slice(0, 12);
}

export function signatureCell(publicKey: string, signature: string): string {
  return `${PREFIX}${keyId(publicKey)}:${signature}`;
}

export type SignatureVerdict = 'signed' | 'onBehalf' | 'missing' | 'bad' | 'unchecked';

/** Whether a log row counts by its signature; 'unchecked' where no verifier is installed (Apps Script). */
export function signatureVerdict(cells: RawCells, settings: Settings): SignatureVerdict {
  if (!SIGNED_ACTIONS.includes(String(cells.action ?? ''))) return 'signed';
  const listed = (
    settings.publicKeys?.[
      String(cells.actor ?? '')
        .trim()
        .toLowerCase()
    ] ?? []
  )
    .map(parseListedKey)
    .filter((k): k is ListedKey => !!k);
  if (!listed.length) return 'onBehalf';
  if (!verifier) return 'unchecked';
  const cell = String(cells.signature ?? '');
  if (!cell.startsWith(PREFIX)) return 'missing';
  const [id, signature] = cell.slice(PREFIX.length).split(':');
  const date = String(cells.time ?? '').slice(0, 10);
  const key = listed.find((k) => keyId(k.key) === id && !(k.revokedOn && date >= k.revokedOn));
  return key && signature && verifier(key.key, signedLogText(cells), signature) ? 'signed' : 'bad';
}

/** Rows whose signature does not hold, reported by row; they are also left out of every count. */
export function signatureProblems(log: readonly { cells: RawCells; sheetRow?: number }[], settings: Settings, sheet: string): Problem[] {
  const problems: Problem[] = [];
  log.forEach(({ cells, sheetRow }, i) => {
    const verdict = signatureVerdict(cells, settings);
    if (verdict !== 'missing' && verdict !== 'bad') return;
    const actor = String(cells.actor ?? '');
    const message = verdict === 'missing' ? T.signatureMissing(sheetRow, i, actor) : T.signatureBad(sheetRow, i, actor);
    problems.push({
      sheet,
      row: sheetRow ?? i + 2,
      column: columnOf(reviewLogSheet, 'signature').header,
      value: cells.signature ?? null,
      rule: '签名',
      message,
    });
  });
  return problems;
}
