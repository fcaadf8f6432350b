import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { newSignInCode, openToken, SIGN_IN_CODE_TTL_MS, sealToken, signInCodeHash } from './sign-in-codes.crypto.js';
import { claimSignInCode, insertSignInCode, purgeSignInCodes } from './sign-in-codes.repository.js';

/** How long used and expired codes are kept (when they were used) before the sweep removes them. */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

const refused = () =>
  new DomainError('invalid_sign_in_code', 'this sign-in link has been used, has expired or is unknown; ask for a new one', { field: 'code' });

/**
 * Console sign-in links (decision 0030): `issue` stands a one-time code for a token (the CLI, which minted it);
 * `exchange` gives the token back once, within five minutes, to whoever holds the code (the console).
 */
export function createSignInCodeService(deps: { db: Db; clock: Clock }) {
  return {
    async issue(token: string): Promise<{ code: string; expiresAt: string }> {
      const code = newSignInCode();
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + SIGN_IN_CODE_TTL_MS).toISOString();
      await insertSignInCode(deps.db, { codeHash: signInCodeHash(code), sealedToken: sealToken(code, token), createdAt: now.toISOString(), expiresAt });
      return { code, expiresAt };
    },

    /** The token, once; a code used before, expired or never issued is refused alike (401 invalid_sign_in_code). */
    async exchange(code: string): Promise<{ token: string }> {
      const sealed = await claimSignInCode(deps.db, signInCodeHash(code), deps.clock.now().toISOString());
      const token = sealed === undefined ? undefined : openToken(code, sealed);
      if (token === undefined) throw refused();
      return { token };
    },

    /** Removes codes that expired more than a day ago; returns how many. */
    async purge(): Promise<number> {
      return purgeSignInCodes(deps.db, new Date(deps.clock.now().getTime() - KEEP_AFTER_EXPIRY_MS).toISOString());
    },
  };
}
