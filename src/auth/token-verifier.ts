import { createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { Config } from '../config.js';
import { DomainError } from '../shared/errors.js';
import { type TokenActor, actorSchema } from './actor.js';

export type TokenVerifier = ((token: string) => Promise<TokenActor>) & { ready: Promise<void> };

type KeySource = { key: KeyObject | Awaited<ReturnType<typeof importSPKI>> | JWTVerifyGetKey; algorithms: string[] };

const readKeyMaterial = (value: string): string => (value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8'));

async function keySource(config: Config): Promise<KeySource> {
  if (config.JWT_PUBLIC_KEY)
    return { key: await importSPKI(readKeyMaterial(config.JWT_PUBLIC_KEY), config.JWT_PUBLIC_KEY_ALG), algorithms: [config.JWT_PUBLIC_KEY_ALG] };
  if (config.JWT_JWKS_FILE)
    return { key: createLocalJWKSet(JSON.parse(readFileSync(config.JWT_JWKS_FILE, 'utf8'))), algorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] };
  if (config.JWT_JWKS_URL) return { key: createRemoteJWKSet(new URL(config.JWT_JWKS_URL)), algorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] };
  if (!config.JWT_SECRET) throw new Error('no JWT verification key configured');
  // A KeyObject made once: given raw bytes, jose would import the key again on every request.
  return { key: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')), algorithms: ['HS256'] };
}

/** A token that lives longer than JWT_MAX_TTL, or was issued in the future, is refused: a leaked one must expire. */
function lifetimeProblem(payload: JWTPayload, config: Config): string | undefined {
  const now = Math.floor(Date.now() / 1000);
  const skew = config.JWT_CLOCK_SKEW_SECONDS;
  const exp = payload.exp!;
  if (exp - now > config.JWT_MAX_TTL + skew) return `it expires more than JWT_MAX_TTL (${config.JWT_MAX_TTL} s) from now`;
  if (payload.iat === undefined) return undefined;
  if (payload.iat > now + skew) return 'it was issued in the future (iat)';
  if (exp - payload.iat > config.JWT_MAX_TTL) return `its lifetime (exp − iat) exceeds JWT_MAX_TTL (${config.JWT_MAX_TTL} s)`;
  return undefined;
}

/** Tokens kept verified at most; a client sends the same token with every request until it expires. */
const VERIFIED_TOKENS = 4096;

/**
 * Verifies bearer tokens with jose: signature, `exp` (required), `iss`/`aud` when configured, then the claims.
 * A token that passed is remembered until its `exp` (decision 0037): verifying it again would give the same
 * answer, since nothing else it is checked against changes while the process runs, and cost a tenth of a write.
 */
export function createTokenVerifier(config: Config): TokenVerifier {
  const verified = new Map<string, { actor: TokenActor; expiresAt: number }>();
  // Imported lazily so that the app factory stays synchronous; a bad key still fails on the first request.
  const source = keySource(config);
  const options = (algorithms: string[]): JWTVerifyOptions => ({
    algorithms,
    requiredClaims: ['exp'],
    clockTolerance: config.JWT_CLOCK_SKEW_SECONDS,
    ...(config.JWT_ISSUER ? { issuer: config.JWT_ISSUER } : {}),
    ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}),
  });
  const verifyOnce = async (token: string) => {
    const { key, algorithms } = await source;
    const { payload } = await jwtVerify(token, key as KeyObject, options(algorithms)).catch((err: unknown) => {
      throw new DomainError('invalid_token', `the bearer token is not valid: ${(err as Error).message}`);
    });
    const lifetimeError = lifetimeProblem(payload, config);
    if (lifetimeError) throw new DomainError('invalid_token', `the bearer token is not valid: ${lifetimeError}`);
    const claims = actorSchema.safeParse(payload);
    if (!claims.success) {
      const issue = claims.error.issues[0];
      throw new DomainError('invalid_token', `the token's ${issue?.path.join('.') || 'role'} claim is invalid: ${issue?.message ?? ''}`);
    }
    return { actor: claims.data, expiresAt: payload.exp! + config.JWT_CLOCK_SKEW_SECONDS };
  };
  const verify = async (token: string): Promise<TokenActor> => {
    const now = Math.floor(Date.now() / 1000);
    const known = verified.get(token);
    if (known && known.expiresAt > now) return known.actor;
    if (known) verified.delete(token);
    const fresh = await verifyOnce(token);
    // The oldest remembered token makes room: Map keeps insertion order.
    if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
    verified.set(token, fresh);
    return fresh.actor;
  };
  // `ready` lets the server fail fast on an unreadable key; the catch marks the rejection as handled.
  const ready = source.then(() => undefined);
  ready.catch(() => undefined);
  return Object.assign(verify, { ready });
}
