// How a console sign-in link's one-time code stands for a token without the database ever holding the token in
// a usable form (decision 0030). The code is 256 random bits, base64url; the database keeps its SHA-256 (to find
// the row) and the token sealed with AES-256-GCM under a key derived from the code by HKDF-SHA256 (so a copy of
// the database, or a backup, yields no token without the code, which only the link carries). The hash and the
// key are separate derivations of the code: one does not give the other.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** How long a printed link works: long enough to open it, too short to matter if it is found later. */
export const SIGN_IN_CODE_TTL_MS = 5 * 60 * 1000;

/** 32 random bytes, base64url without padding: 43 characters. */
export const SIGN_IN_CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const KEY_INFO = 'voucher-ledger console sign-in token v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const newSignInCode = (): string => randomBytes(32).toString('base64url');

/** The row's key: SHA-256 of the code, lowercase hex. */
export const signInCodeHash = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');

const keyOf = (code: string): Buffer => Buffer.from(hkdfSync('sha256', Buffer.from(code, 'utf8'), Buffer.alloc(0), KEY_INFO, 32));

/** The token sealed under the code's key, bound to the row by its hash (GCM's associated data). */
export function sealToken(code: string, token: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(code), iv);
  cipher.setAAD(Buffer.from(signInCodeHash(code), 'utf8'));
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The token, or undefined when `sealed` was not sealed under this code (or was altered). */
export function openToken(code: string, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(code), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(signInCodeHash(code), 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
