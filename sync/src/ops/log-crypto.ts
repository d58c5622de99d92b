/**
 * node:crypto behind the review log's seams: SHA-256 for the chain (the same digests as core's pure-JS one,
 * faster) and Ed25519 for personal signatures. Importing this module installs both.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { setLogHasher, setSignatureVerifier } from '../../../core/index.js';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
export const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromRaw(base64: string) {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(base64, 'base64')]), format: 'der', type: 'spki' });
}

setLogHasher((text) => createHash('sha256').update(text, 'utf8').digest('hex'));
setSignatureVerifier((publicKey, text, signature) => {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKeyFromRaw(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
});
